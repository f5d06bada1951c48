package dev.ems.sc.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.BootstrapTokenIssued;
import dev.ems.common.event.Topics;
import dev.ems.embedded.TestEvents;
import dev.ems.sc.ScApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class BootstrapTokenReplayIT {

  @Autowired MockMvc mvc;
  @Autowired JsonMapper json;
  @Autowired BootstrapTokenReplay replay;

  @Test
  void unexpiredBootstrapTokensAreAnnouncedAgainOnStartForPkiToLearn() throws Exception {
    String device =
        new ScApi(mvc, json)
            .createDevice(
                Map.of("serial", "SN-" + UUID.randomUUID(), "model", "ow-x86", "name", "n"));

    replay.run(null);

    var records =
        TestEvents.read(
            Topics.SC_DEVICES, rs -> tokens(rs, device).size() >= 2, Duration.ofSeconds(30));
    List<BootstrapTokenIssued> tokens = tokens(records, device);
    assertThat(tokens).hasSizeGreaterThanOrEqualTo(2);
    assertThat(tokens.getLast()).isEqualTo(tokens.getFirst());
  }

  private static List<BootstrapTokenIssued> tokens(
      List<ConsumerRecord<String, byte[]>> records, String device) {
    return records.stream()
        .filter(r -> device.equals(r.key()))
        .map(r -> TestEvents.decodeOrNull(r, BootstrapTokenIssued.class))
        .filter(e -> e != null)
        .map(e -> e.payload())
        .toList();
  }
}
