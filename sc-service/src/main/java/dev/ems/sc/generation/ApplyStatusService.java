package dev.ems.sc.generation;

import dev.ems.common.event.ConfigStatusReported;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a device's report to the version it names. The device's config status becomes APPLIED or
 * FAILED when it reports the current version with the current hash, and OUT_OF_SYNC when the hash
 * it runs is not the current version's. Reports for unknown devices or versions are ignored
 * (logged); the same report twice changes nothing.
 */
@Service
class ApplyStatusService {

  private static final Logger log = LoggerFactory.getLogger(ApplyStatusService.class);

  private final ConfigVersions versions;
  private final JdbcClient jdbc;

  ApplyStatusService(ConfigVersions versions, JdbcClient jdbc) {
    this.versions = versions;
    this.jdbc = jdbc;
  }

  @Transactional
  void record(String tenant, ConfigStatusReported report) {
    boolean known =
        jdbc.sql("select count(*) from device where id = ? and tenant_id = ?")
                .params(report.deviceId(), tenant)
                .query(Integer.class)
                .single()
            == 1;
    if (!known) {
      log.warn(
          "config status for unknown device {} of tenant {} ignored", report.deviceId(), tenant);
      return;
    }
    Optional<ConfigVersions.Head> current = versions.latestHead(report.deviceId());
    Optional<ConfigVersions.ConfigVersion> reported =
        versions.find(report.deviceId(), report.version());
    String status = "FAILED".equals(report.status()) ? "FAILED" : "APPLIED";
    if (reported.isPresent() && reported.get().sha256().equals(report.sha256())) {
      versions.recordApply(
          report.deviceId(), report.version(), status, report.error(), report.reportedAt());
    }
    if (current.isEmpty()) {
      return;
    }
    if (!current.get().sha256().equals(report.sha256())) {
      // a FAILED apply of an old version leaves the device on some other hash: out of sync too
      versions.setDeviceConfigStatus(report.deviceId(), "OUT_OF_SYNC");
    } else {
      versions.setDeviceConfigStatus(report.deviceId(), status);
    }
  }
}
