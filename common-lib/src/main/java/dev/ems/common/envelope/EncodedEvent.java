package dev.ems.common.envelope;

import java.util.Map;

/** An event as it travels in Kafka binary mode: record key, headers and the JSON payload. */
public record EncodedEvent(String key, Map<String, byte[]> headers, byte[] value) {}
