package dev.ems.common.error;

/**
 * Stable error codes of the EMS APIs. A client keys on {@code code}, never on the text; codes are
 * only ever added. Every problem response carries one as the {@code code} property.
 */
public enum ErrorCode {
  MALFORMED_REQUEST("malformed-request", 400, "The request is malformed"),
  INVALID_PARAMETER("invalid-parameter", 400, "A request parameter is invalid"),
  UNAUTHENTICATED("unauthenticated", 401, "Missing or invalid credentials"),
  BOOTSTRAP_TOKEN_INVALID(
      "bootstrap-token-invalid", 401, "The serial and bootstrap token do not match"),
  BOOTSTRAP_TOKEN_EXPIRED("bootstrap-token-expired", 401, "The bootstrap token has expired"),
  BOOTSTRAP_TOKEN_USED("bootstrap-token-used", 409, "The bootstrap token was already used"),
  CERTIFICATE_REVOKED("certificate-revoked", 401, "The device certificate is revoked"),
  CERTIFICATE_EXPIRED("certificate-expired", 401, "The device certificate has expired"),
  CERTIFICATE_UNKNOWN(
      "certificate-unknown", 401, "The certificate is not this device's EMS certificate"),
  KEY_REUSED("key-reused", 422, "The key was already certified for this device"),
  RATE_LIMITED("rate-limited", 429, "Too many requests from this device"),
  FORBIDDEN("forbidden", 403, "The credentials do not allow this operation"),
  NOT_FOUND("not-found", 404, "No such resource"),
  DEVICE_NOT_FOUND("device-not-found", 404, "No such device"),
  CONFIG_REQUEST_NOT_FOUND("config-request-not-found", 404, "No such config request"),
  CONFIG_NOT_FOUND("config-not-found", 404, "No configuration published for this device"),
  SITE_NOT_FOUND("site-not-found", 404, "No such site"),
  TEMPLATE_NOT_FOUND("template-not-found", 404, "No template set for this device model"),
  CONFIG_VERSION_NOT_FOUND("config-version-not-found", 404, "No such configuration version"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
  CONFLICT("conflict", 409, "The request conflicts with the current state"),
  DUPLICATE_SERIAL("duplicate-serial", 409, "A device with this serial already exists"),
  DUPLICATE_SITE("duplicate-site", 409, "A site with this name already exists"),
  DEVICE_DECOMMISSIONED("device-decommissioned", 409, "The device is decommissioned"),
  SITE_IN_USE("site-in-use", 409, "The site still has devices"),
  PRECONDITION_FAILED(
      "precondition-failed", 412, "The resource changed since it was read (If-Match)"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  VALIDATION_FAILED("validation-failed", 422, "The request is not valid"),
  TEMPLATE_INVALID("template-invalid", 422, "A template cannot be rendered"),
  END_ENTITY_NOT_FOUND("end-entity-not-found", 404, "No such end entity"),
  DUPLICATE_END_ENTITY("duplicate-end-entity", 409, "An end entity with this name already exists"),
  CERTIFICATE_NOT_FOUND("certificate-not-found", 404, "No such certificate"),
  CA_NOT_FOUND("ca-not-found", 404, "No such certificate authority"),
  INVALID_CSR("invalid-csr", 422, "The certificate signing request is not valid"),
  WEAK_KEY("weak-key", 422, "The key is too weak or of an unsupported type"),
  ALREADY_REVOKED("already-revoked", 409, "The certificate is already revoked"),
  PKI_BACKEND_ERROR("pki-backend-error", 502, "The certificate authority back end failed"),
  INTERNAL_ERROR("internal-error", 500, "Internal error"),
  ALERT_NOT_FOUND("alert-not-found", 404, "No such alert"),
  CHECK_NOT_FOUND("check-not-found", 404, "No such check"),
  COMMAND_NOT_FOUND("command-not-found", 404, "No such command for this device"),
  COMMAND_EXPIRED("command-expired", 410, "The command has expired"),
  EVENT_TOO_LARGE("event-too-large", 422, "The change's event would exceed Kafka's record limit"),
  SERVICE_UNAVAILABLE("service-unavailable", 503, "The service is temporarily unavailable"),
  FEATURE_NOT_FOUND("feature-not-found", 404, "No such feature"),
  FEATURE_SCHEMA_INVALID("feature-schema-invalid", 422, "The feature definition is not valid"),
  FEATURE_PARAMS_INVALID(
      "feature-params-invalid", 422, "The parameters do not match the feature's schema"),
  FEATURE_DEPENDENCY_MISSING(
      "feature-dependency-missing", 409, "A feature this feature depends on is not enabled"),
  FEATURE_CONFLICT("feature-conflict", 409, "The feature conflicts with an enabled feature"),
  FEATURE_REQUIRED("feature-required", 409, "Another enabled feature depends on this feature"),
  FEATURE_IN_USE("feature-in-use", 409, "The feature is enabled on devices"),
  ROLLOUT_NOT_FOUND("rollout-not-found", 404, "No such rollout"),
  ROLLOUT_STATE_INVALID(
      "rollout-state-invalid", 409, "The rollout is not in a state that allows this"),
  CHANGE_SET_NOT_FOUND("change-set-not-found", 404, "No such change set"),
  CHANGE_SET_STATE_INVALID(
      "change-set-state-invalid", 409, "The change set is not in a state that allows this"),
  AUTHOR_CANNOT_APPROVE(
      "author-cannot-approve", 403, "The author of a change set cannot approve it"),
  WEBHOOK_NOT_FOUND("webhook-not-found", 404, "No such webhook subscription"),
  WEBHOOK_TARGET_REFUSED(
      "webhook-target-refused", 422, "The webhook target is not an allowed address");

  private final String code;
  private final int status;
  private final String title;

  ErrorCode(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The problem {@code type} URI of this code. */
  public String typeUri() {
    return "urn:ems:problem:" + code;
  }
}
