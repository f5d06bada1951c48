package dev.ems.pki.backend;

import java.util.Arrays;
import java.util.Optional;

/**
 * RFC 5280 CRLReason values an operator may give. certificateHold and removeFromCRL are not
 * offered: revocation here is final.
 */
public enum RevocationReason {
  unspecified(0, "UNSPECIFIED"),
  keyCompromise(1, "KEY_COMPROMISE"),
  cACompromise(2, "CA_COMPROMISE"),
  affiliationChanged(3, "AFFILIATION_CHANGED"),
  superseded(4, "SUPERSEDED"),
  cessationOfOperation(5, "CESSATION_OF_OPERATION"),
  privilegeWithdrawn(9, "PRIVILEGES_WITHDRAWN");

  private final int code;
  private final String ejbcaName;

  RevocationReason(int code, String ejbcaName) {
    this.code = code;
    this.ejbcaName = ejbcaName;
  }

  /** The CRLReason code. */
  public int code() {
    return code;
  }

  /** The name EJBCA's REST API uses. */
  public String ejbcaName() {
    return ejbcaName;
  }

  public static Optional<RevocationReason> parse(String name) {
    return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
  }
}
