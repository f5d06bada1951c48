package dev.ems.sc.generation;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceFeaturesChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.outbox.Outbox;
import dev.ems.sc.variables.DeviceFeatures;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A changed feature set queues a config request for the device with the input of its last request
 * (requested by {@code tw-service}); the normal generation path then makes a new version only if
 * the output changed. The idempotency key {@code features-<revision>} makes a redelivered event
 * queue nothing more; it is also the cause of the version the request makes, which tells a
 * tw-service rollout that the version is the one its change produced.
 */
@Service
class FeatureRegeneration {

  static final String REQUESTED_BY = "tw-service";
  static final String KEY_PREFIX = "features-";

  private final DeviceFeatures features;
  private final JdbcClient jdbc;
  private final Outbox outbox;

  FeatureRegeneration(DeviceFeatures features, JdbcClient jdbc, Outbox outbox) {
    this.features = features;
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  @Transactional
  void onFeaturesChanged(String tenant, DeviceFeaturesChanged event) {
    boolean active =
        jdbc.sql("select count(*) from device where id = ? and tenant_id = ? and status = 'ACTIVE'")
                .params(event.deviceId(), tenant)
                .query(Integer.class)
                .single()
            == 1;
    if (!active || !features.storeIfNewer(tenant, event)) {
      return;
    }
    String lastInput =
        jdbc.sql(
                "select variables::text from config_request where device_id = ?"
                    + " and requested_by <> 'tw-service' order by created_at desc limit 1")
            .param(event.deviceId())
            .query(String.class)
            .optional()
            .orElse("{}");
    UUID requestId = UUID.randomUUID();
    int inserted =
        jdbc.sql(
                """
                insert into config_request (id, tenant_id, device_id, status, variables,
                  idempotency_key, requested_by, created_at, updated_at)
                values (?, ?, ?, 'QUEUED', ?::jsonb, ?, 'tw-service', now(), now())
                on conflict (tenant_id, device_id, idempotency_key) do nothing
                """)
            .params(requestId, tenant, event.deviceId(), lastInput, KEY_PREFIX + event.revision())
            .update();
    if (inserted == 1) {
      outbox.append(
          Topics.SC_CONFIG_REQUESTS,
          EventEnvelope.of(
              "/sc-service/config-requests",
              tenant,
              event.deviceId().toString(),
              new ConfigRequested(requestId, event.deviceId())));
    }
  }
}
