package dev.ems.sc.webhook;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions of the caller's tenant: admins write them (the signing secret is shown
 * once, in the 201 answer), viewers read them and their delivery log, operators ask for a
 * redelivery.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhookController {

  private final WebhookSubscriptions subscriptions;
  private final WebhookDeliveries deliveries;

  WebhookController(WebhookSubscriptions subscriptions, WebhookDeliveries deliveries) {
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
  }

  record CreateRequest(
      @NotBlank @Size(max = 2000) String url,
      @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 100) String> eventTypes) {}

  record UpdateRequest(
      @NotBlank @Size(max = 2000) String url,
      @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 100) String> eventTypes,
      @NotNull Boolean enabled) {}

  @RequiresRole(Role.ADMIN)
  @ApiResponse(responseCode = "201", description = "Subscribed; the secret is shown this once")
  @PostMapping
  ResponseEntity<WebhookSubscriptions.Created> create(
      @Valid @RequestBody CreateRequest request, Caller caller) {
    var created = subscriptions.create(caller.tenant(), request.url(), request.eventTypes());
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.id())).body(created);
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<WebhookSubscriptions.Subscription> list(Caller caller) {
    return subscriptions.list(caller.tenant());
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}")
  WebhookSubscriptions.Subscription get(@PathVariable UUID id, Caller caller) {
    return subscriptions.get(caller.tenant(), id);
  }

  @RequiresRole(Role.ADMIN)
  @PutMapping("/{id}")
  WebhookSubscriptions.Subscription update(
      @PathVariable UUID id, @Valid @RequestBody UpdateRequest request, Caller caller) {
    return subscriptions.update(
        caller.tenant(), id, request.url(), request.eventTypes(), request.enabled());
  }

  @RequiresRole(Role.ADMIN)
  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id, Caller caller) {
    subscriptions.delete(caller.tenant(), id);
    return ResponseEntity.noContent().build();
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/{id}/deliveries")
  List<WebhookDeliveries.Delivery> deliveries(
      @PathVariable UUID id,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "100") int limit,
      Caller caller) {
    return deliveries.list(caller.tenant(), id, status, limit);
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "202", description = "Queued for delivery again")
  @PostMapping("/{id}/deliveries/{messageId}/redeliver")
  ResponseEntity<WebhookDeliveries.Delivery> redeliver(
      @PathVariable UUID id, @PathVariable String messageId, Caller caller) {
    return ResponseEntity.accepted().body(deliveries.redeliver(caller.tenant(), id, messageId));
  }
}
