package dev.ems.common.event;

/** One rendered output file of a device configuration, e.g. {@code /etc/config/network}. */
public record ConfigFile(String path, String content) {}
