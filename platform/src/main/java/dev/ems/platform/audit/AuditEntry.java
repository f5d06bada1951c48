package dev.ems.platform.audit;

import java.util.Objects;

/**
 * What happened, before it is chained: who ({@link Actor}), in which tenant, what ({@code action}:
 * {@code <METHOD> <route template>} for operator requests, a dotted name such as {@code
 * pki.certificate.issue} otherwise), to what ({@code resource}), with which outcome ({@code
 * status}, an HTTP status where there is one) and the SHA-256 digests of the request body (the
 * change asked for) and of the resulting representation. Never a body, a key or a token.
 */
public record AuditEntry(
    String tenant,
    Actor actor,
    String action,
    String resource,
    Integer status,
    String requestId,
    String traceId,
    String requestDigest,
    String responseDigest) {

  public AuditEntry {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
  }

  /** An operation that is not an operator request (an enrollment, an event's consequence). */
  public static AuditEntry of(
      String tenant, Actor actor, String action, String resource, String detailDigest) {
    return new AuditEntry(
        tenant, actor, action, resource, null, null, Traces.currentTraceId(), detailDigest, null);
  }

  /**
   * Who did it.
   *
   * @param type {@code API_KEY}, {@code OIDC}, {@code DEVICE}, {@code SERVICE} or {@code SYSTEM}
   * @param id the key id, the token's subject, the device id or serial, the service name
   * @param name the key's name or the person's user name, where there is one
   */
  public record Actor(String type, String id, String name) {

    public Actor {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(id, "id");
    }

    /** An operator: an API key (id and name) or, signed in through OIDC, a person (subject). */
    public static Actor operator(dev.ems.platform.security.Caller caller) {
      return caller.subject() != null
          ? new Actor("OIDC", caller.subject(), caller.keyName())
          : new Actor("API_KEY", caller.keyId().toString(), caller.keyName());
    }

    public static Actor device(String id, String serial) {
      return new Actor("DEVICE", id, serial);
    }

    public static Actor service(String name) {
      return new Actor("SERVICE", name, name);
    }

    public static Actor system(String what) {
      return new Actor("SYSTEM", what, what);
    }
  }
}
