package dev.ems.sc.inventory;

import dev.ems.sc.system.ScProperties;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On start, announces every active device's unexpired bootstrap token again (its hash). pki-service
 * checks a device's token itself (docs/adr/0006, amendment 2) and learns it from these events;
 * tokens issued before it did so were consumed unread, and their devices could not enroll after an
 * upgrade. Idempotent: a token announced again with the same issue time changes nothing anywhere,
 * and device-api still refuses a token that was used.
 */
@Component
class BootstrapTokenReplay implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(BootstrapTokenReplay.class);

  private final DeviceRepository devices;
  private final DeviceEvents events;
  private final ScProperties properties;
  private final TransactionTemplate tx;

  BootstrapTokenReplay(
      DeviceRepository devices,
      DeviceEvents events,
      ScProperties properties,
      TransactionTemplate tx) {
    this.devices = devices;
    this.events = events;
    this.properties = properties;
    this.tx = tx;
  }

  @Override
  public void run(ApplicationArguments args) {
    Instant oldest = Instant.now().minus(properties.bootstrapTokenTtl());
    Integer count =
        tx.execute(
            status -> {
              var unexpired = devices.withTokensIssuedAfter(Device.Status.ACTIVE, oldest);
              unexpired.forEach(
                  d ->
                      events.tokenIssued(
                          d,
                          d.bootstrapTokenHash(),
                          d.tokenIssuedAt().plus(properties.bootstrapTokenTtl())));
              return unexpired.size();
            });
    if (count != null && count > 0) {
      log.info("announced {} unexpired bootstrap tokens again (their hashes)", count);
    }
  }
}
