package dev.ems.common.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ems.common.event.ConfigFile;
import dev.ems.common.event.ConfigPublished;
import dev.ems.common.event.DeviceCreated;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudEventCodecTests {

  private final CloudEventCodec codec = new CloudEventCodec();
  private final UUID deviceId = UUID.randomUUID();

  private EventEnvelope<ConfigPublished> configPublished() {
    var payload =
        new ConfigPublished(
            deviceId,
            3,
            "ab".repeat(32),
            List.of(new ConfigFile("/etc/config/system", "option hostname 'cpe'\n")),
            UUID.randomUUID(),
            Instant.parse("2026-11-22T10:15:30.123Z"),
            "features-7");
    return EventEnvelope.of("/sc-service", "acme", deviceId.toString(), payload);
  }

  @Test
  void encodesContextAttributesAsCeHeadersAndTheDeviceAsKey() {
    var event = configPublished();

    EncodedEvent encoded = codec.encode(event);

    assertThat(encoded.key()).isEqualTo(deviceId.toString());
    assertThat(header(encoded, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(encoded, "ce_type")).isEqualTo("dev.ems.ConfigPublished");
    assertThat(header(encoded, "ce_source")).isEqualTo("/sc-service");
    assertThat(header(encoded, "ce_subject")).isEqualTo(deviceId.toString());
    assertThat(header(encoded, "ce_tenant")).isEqualTo("acme");
    assertThat(header(encoded, "ce_id")).isEqualTo(event.id());
    assertThat(header(encoded, "content-type")).isEqualTo("application/json");
    assertThat(new String(encoded.value(), StandardCharsets.UTF_8))
        .contains("\"version\":3")
        .doesNotContain("ce_");
  }

  @Test
  void decodesWhatItEncoded() {
    var event = configPublished();
    EncodedEvent encoded = codec.encode(event);

    var decoded = codec.decode(encoded.headers(), encoded.value(), ConfigPublished.class);

    assertThat(decoded).isEqualTo(event);
  }

  @Test
  void ignoresPayloadFieldsAddedByANewerProducer() {
    var encoded = codec.encode(configPublished());
    String json = new String(encoded.value(), StandardCharsets.UTF_8);
    byte[] newer = json.replaceFirst("\\{", "{\"addedLater\":{\"x\":1},").getBytes();

    var decoded = codec.decode(encoded.headers(), newer, ConfigPublished.class);

    assertThat(decoded.payload().version()).isEqualTo(3);
  }

  @Test
  void decodesAPayloadOfAnOlderProducerWithoutTheCause() {
    var encoded = codec.encode(configPublished());
    String json = new String(encoded.value(), StandardCharsets.UTF_8);
    byte[] older = json.replace(",\"cause\":\"features-7\"", "").getBytes();
    assertThat(new String(older, StandardCharsets.UTF_8)).doesNotContain("cause");

    var decoded = codec.decode(encoded.headers(), older, ConfigPublished.class);

    assertThat(decoded.payload().cause()).isNull();
    assertThat(decoded.payload().version()).isEqualTo(3);
  }

  @Test
  void rejectsARecordOfAnotherType() {
    var encoded = codec.encode(configPublished());

    assertThatThrownBy(() -> codec.decode(encoded.headers(), encoded.value(), DeviceCreated.class))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("expected type dev.ems.DeviceCreated");
  }

  @Test
  void rejectsMissingHeadersAndMalformedPayloads() {
    var encoded = codec.encode(configPublished());
    Map<String, byte[]> noTenant = new HashMap<>(encoded.headers());
    noTenant.remove("ce_tenant");

    assertThatThrownBy(() -> codec.decode(noTenant, encoded.value(), ConfigPublished.class))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("ce_tenant");
    assertThatThrownBy(
            () -> codec.decode(encoded.headers(), "{not json".getBytes(), ConfigPublished.class))
        .isInstanceOf(EventDecodingException.class);
    assertThatThrownBy(() -> codec.decode(encoded.headers(), new byte[0], ConfigPublished.class))
        .isInstanceOf(EventDecodingException.class);
  }

  private static String header(EncodedEvent encoded, String name) {
    return new String(encoded.headers().get(name), StandardCharsets.UTF_8);
  }
}
