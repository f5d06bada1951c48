package dev.ems.diagnostic.health.model;

/**
 * The device certificate as PKI events describe it. {@code status}: NONE (nothing heard), VALID,
 * EXPIRING, REVOKED. Events about another serial than the current one are ignored, except that a
 * newly issued certificate replaces a revoked or expiring one.
 */
public record CertState(String status, String serial, String detail) {

  public static final CertState NONE = new CertState("NONE", null, null);

  public CertState issued(String newSerial) {
    return serial != null && serial.equalsIgnoreCase(newSerial) && !"NONE".equals(status)
        ? this
        : new CertState("VALID", newSerial, null);
  }

  public CertState expiring(String aSerial, String notAfter) {
    if ("REVOKED".equals(status) || !concerns(aSerial)) {
      return this;
    }
    return new CertState("EXPIRING", aSerial, notAfter);
  }

  public CertState revoked(String aSerial, String reason) {
    return concerns(aSerial) ? new CertState("REVOKED", aSerial, reason) : this;
  }

  private boolean concerns(String aSerial) {
    return serial == null || serial.equalsIgnoreCase(aSerial);
  }
}
