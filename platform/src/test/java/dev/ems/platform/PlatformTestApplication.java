package dev.ems.platform;

import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.DeviceCreated;
import dev.ems.common.event.Topics;
import dev.ems.platform.kafka.EventReader;
import dev.ems.platform.outbox.Outbox;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A minimal service on the platform, for the platform's own tests. */
@SpringBootApplication
@EmsService("platform-test")
public class PlatformTestApplication {

  record WidgetRequest(
      @NotBlank @Size(max = 20) String name, Integer size, java.util.Map<String, Object> tags) {}

  record Widget(UUID id, String tenant, String name) {}

  @RestController
  static class WidgetController {
    private final WidgetService service;

    WidgetController(WidgetService service) {
      this.service = service;
    }

    @RequiresRole(Role.OPERATOR)
    @PostMapping("/api/v1/widgets")
    Widget create(@Valid @RequestBody WidgetRequest request, Caller caller) {
      return service.create(caller.tenant(), request.name());
    }

    @RequiresRole(Role.VIEWER)
    @GetMapping("/api/v1/widgets")
    List<Widget> list(Caller caller) {
      return service.list(caller.tenant());
    }

    @RequiresRole(Role.ADMIN)
    @GetMapping("/api/v1/widget-secrets")
    List<String> secrets(Caller caller) {
      return List.of("admin-only");
    }

    /** Declares no access rule: refused to everyone (deny by default). */
    @GetMapping("/api/v1/widgets-without-rule")
    String forgotten() {
      return "must never be served";
    }
  }

  @Component
  static class WidgetService {
    private final JdbcClient jdbc;
    private final Outbox outbox;

    WidgetService(JdbcClient jdbc, Outbox outbox) {
      this.jdbc = jdbc;
      this.outbox = outbox;
    }

    @Transactional
    Widget create(String tenant, String name) {
      UUID id = UUID.randomUUID();
      jdbc.sql("insert into widget (id, tenant_id, name) values (?, ?, ?)")
          .params(id, tenant, name)
          .update();
      outbox.append(
          Topics.SC_DEVICES,
          EventEnvelope.of(
              "/platform-test",
              tenant,
              id.toString(),
              new DeviceCreated(id, name, "model", name, Instant.now())));
      return new Widget(id, tenant, name);
    }

    List<Widget> list(String tenant) {
      return jdbc.sql("select id, tenant_id, name from widget where tenant_id = ? order by name")
          .param(tenant)
          .query(
              (rs, n) -> new Widget(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
          .list();
    }
  }

  /** Records every DeviceCreated it sees; fails on demand to exercise the dead-letter path. */
  @Component
  static class DeviceCreatedListener {
    final List<DeviceCreated> received = new CopyOnWriteArrayList<>();
    private final EventReader events;

    DeviceCreatedListener(EventReader events) {
      this.events = events;
    }

    @KafkaListener(topics = Topics.SC_DEVICES)
    void on(ConsumerRecord<String, byte[]> record) {
      DeviceCreated event = events.decode(record, DeviceCreated.class).payload();
      if (event.name().equals("always-fails")) {
        throw new IllegalStateException("simulated processing failure");
      }
      received.add(event);
    }
  }
}
