package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
class ConfigGenerationIT {

  @Autowired ConfigGenerationService generation;
  @Autowired ConfigRequestRepository requests;
  @Autowired JdbcClient jdbc;

  @Test
  void theSameRequestDeliveredTwiceMakesOneVersion() {
    UUID deviceId = insertDevice();
    var request = new ConfigRequest("default", deviceId, "{\"timezone\":\"UTC\"}", null, "test");
    requests.saveAndFlush(request);

    generation.process(request.id());
    generation.process(request.id());

    assertThat(
            jdbc.sql("select count(*) from config_version where device_id = ?")
                .param(deviceId)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    assertThat(requests.findById(request.id()).orElseThrow().status())
        .isEqualTo(ConfigRequest.Status.COMPLETED);
  }

  @Test
  void aRequestWhoseOutputIsOversizedEndsFailedWithTheReasonAndNoVersion() {
    UUID deviceId = insertDevice();
    String huge = "x".repeat(1_100_000);
    var request =
        new ConfigRequest(
            "default", deviceId, "{\"syslog_server\":\"" + huge + "\"}", null, "test");
    requests.saveAndFlush(request);

    generation.process(request.id());

    var stored = requests.findById(request.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(ConfigRequest.Status.FAILED);
    assertThat(stored.failureReason()).contains("more than the limit of 1048576");
    assertThat(
            jdbc.sql("select count(*) from config_version where device_id = ?")
                .param(deviceId)
                .query(Integer.class)
                .single())
        .isZero();
  }

  private UUID insertDevice() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into device (id, tenant_id, serial, model, name, bootstrap_token_hash,"
                + " created_at, updated_at) values (?, 'default', ?, 'm', 'n', 'h', now(), now())")
        .params(id, "SN-" + id)
        .update();
    return id;
  }
}
