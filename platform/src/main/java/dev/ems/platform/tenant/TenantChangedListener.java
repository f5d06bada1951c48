package dev.ems.platform.tenant;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.TenantChanged;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Keeps this service's copy of the tenants current from sc-service's compacted tenant topic. */
class TenantChangedListener {

  private final Tenants tenants;
  private final EventReader events;

  TenantChangedListener(Tenants tenants, EventReader events) {
    this.tenants = tenants;
    this.events = events;
  }

  @KafkaListener(topics = Topics.SC_TENANTS, id = "${spring.application.name}-tenants")
  void on(ConsumerRecord<String, byte[]> record) {
    if (!events.is(record, TenantChanged.class)) {
      return;
    }
    EventEnvelope<TenantChanged> event = events.decode(record, TenantChanged.class);
    TenantChanged t = event.payload();
    tenants.upsert(
        new Tenants.Tenant(
            t.tenantId(),
            t.name(),
            Tenants.Status.valueOf(t.status()),
            t.createdAt(),
            t.changedAt()));
  }
}
