package dev.ems.device.config;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The configuration a device should run, as served: the response body, rendered once, and its
 * strong ETag (the bundle's sha256 in quotes).
 */
record PublishedConfig(UUID deviceId, String tenant, int version, String sha256, byte[] body) {

  String etag() {
    return "\"" + sha256 + "\"";
  }

  /** Whether an If-None-Match header value names this version (weak comparison, RFC 9110). */
  boolean matches(String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.length() == sha256.length() + 2
          && t.charAt(0) == '"'
          && t.regionMatches(1, sha256, 0, sha256.length())) {
        return true;
      }
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
