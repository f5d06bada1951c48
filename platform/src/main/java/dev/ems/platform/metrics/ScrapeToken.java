package dev.ems.platform.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Prometheus scrape credential ({@code EMS_METRICS_SCRAPE_TOKEN}): a bearer token that opens
 * {@code /actuator/prometheus} and nothing else, so that a scraper needs no ADMIN key. Unset
 * (blank) means no token is accepted. Compared in constant time over SHA-256 digests, so that
 * neither the content nor the length of the token leaks through timing; the token itself is never
 * logged.
 */
public final class ScrapeToken {

  /** The only path the token opens. */
  public static final String PATH = "/actuator/prometheus";

  private final byte[] digest;

  public ScrapeToken(String token) {
    this.digest = token == null || token.isBlank() ? null : sha256(token.strip());
  }

  /** Whether a token is configured at all. */
  public boolean enabled() {
    return digest != null;
  }

  /** Whether an {@code Authorization} header carries this token as {@code Bearer <token>}. */
  public boolean matches(String authorization) {
    if (digest == null
        || authorization == null
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return enabled() ? "ScrapeToken[set]" : "ScrapeToken[unset]";
  }
}
