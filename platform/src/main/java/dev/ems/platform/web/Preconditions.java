package dev.ems.platform.web;

import dev.ems.common.error.ErrorCode;

/**
 * Optimistic concurrency over HTTP: a resource's ETag is its row version in quotes; a write that
 * carries {@code If-Match} succeeds only while the resource still has that version.
 */
public final class Preconditions {

  private Preconditions() {}

  public static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** Throws 412 unless {@code ifMatch} is absent, {@code *}, or names {@code version}. */
  public static void checkIfMatch(String ifMatch, long version) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return;
    }
    String expected = etag(version);
    for (String tag : ifMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(expected)) {
        return;
      }
    }
    throw new EmsException(
        ErrorCode.PRECONDITION_FAILED,
        "If-Match " + ifMatch + " does not match the current version " + expected,
        "If-Match");
  }
}
