package dev.ems.device.config;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The configuration a device should run, as served: the response body, rendered once, and its
 * strong ETag (the bundle's sha256 in quotes). The header values are made once here, not on every
 * fetch (a fetch allocates ~7 KB, and every allocation brings the next GC pause closer). {@code
 * signature} is the bundle's detached JWS from sc-service (null for versions published before
 * bundles were signed), served as the {@code EMS-Config-Signature} header.
 */
final class PublishedConfig {

  private final UUID deviceId;
  private final String tenant;
  private final int version;
  private final String sha256;
  private final byte[] body;
  private final String etag;
  private final String versionText;
  private final String signature;

  PublishedConfig(UUID deviceId, String tenant, int version, String sha256, byte[] body) {
    this(deviceId, tenant, version, sha256, body, null);
  }

  PublishedConfig(
      UUID deviceId, String tenant, int version, String sha256, byte[] body, String signature) {
    this.signature = signature;
    this.deviceId = deviceId;
    this.tenant = tenant;
    this.version = version;
    this.sha256 = sha256;
    this.body = body;
    this.etag = "\"" + sha256 + "\"";
    this.versionText = Integer.toString(version);
  }

  UUID deviceId() {
    return deviceId;
  }

  String tenant() {
    return tenant;
  }

  int version() {
    return version;
  }

  String sha256() {
    return sha256;
  }

  byte[] body() {
    return body;
  }

  /** The detached JWS of the bundle, or null when its version was published unsigned. */
  String signature() {
    return signature;
  }

  String etag() {
    return etag;
  }

  /** The version as the {@code X-Config-Version} header's value. */
  String versionText() {
    return versionText;
  }

  /**
   * Whether an If-None-Match header value names this version (weak comparison, RFC 9110): a list of
   * entity tags, each possibly {@code W/}-prefixed, or {@code *}. Scanned in place.
   */
  boolean matches(String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    int end = ifNoneMatch.length();
    int start = 0;
    while (start < end) {
      int comma = ifNoneMatch.indexOf(',', start);
      int stop = comma < 0 ? end : comma;
      int from = start;
      int to = stop;
      while (from < to && Character.isWhitespace(ifNoneMatch.charAt(from))) {
        from++;
      }
      while (to > from && Character.isWhitespace(ifNoneMatch.charAt(to - 1))) {
        to--;
      }
      if (to - from == 1 && ifNoneMatch.charAt(from) == '*') {
        return true;
      }
      if (ifNoneMatch.startsWith("W/", from)) {
        from += 2;
      }
      if (to - from == sha256.length() + 2
          && ifNoneMatch.charAt(from) == '"'
          && ifNoneMatch.charAt(to - 1) == '"'
          && ifNoneMatch.regionMatches(from + 1, sha256, 0, sha256.length())) {
        return true;
      }
      start = stop + 1;
    }
    return false;
  }

  @Override
  public String toString() {
    return "PublishedConfig[" + deviceId + " v" + version + " " + body.length + " bytes]";
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
