package dev.ems.pki.system;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.math.BigInteger;

/** Certificate serials travel as hex; stored lower-case without leading zeros or separators. */
public final class Serials {

  private Serials() {}

  public static String normalize(String serial) {
    try {
      String hex = serial.replace(":", "").trim();
      if (hex.isEmpty() || hex.length() > 40) {
        throw new NumberFormatException();
      }
      return new BigInteger(hex, 16).toString(16);
    } catch (NumberFormatException e) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "A serial number is hexadecimal", "serial");
    }
  }
}
