package dev.ems.device.config;

import dev.ems.common.signing.ConfigSignatures;
import io.netty.util.AsciiString;

/**
 * The config fetch's response headers, written alike by both paths: {@link ConfigFetchRoute} on
 * Reactor Netty's headers, {@link ConfigHandler} on Spring's. Names are spelled as WebFlux spells
 * them: they are case-insensitive (RFC 9110), but a device's HTTP client need not be.
 */
final class FetchHeaders {

  static final AsciiString ETAG = AsciiString.cached("ETag");
  static final AsciiString VERSION = AsciiString.cached("X-Config-Version");
  static final AsciiString CACHE_CONTROL = AsciiString.cached("Cache-Control");
  static final AsciiString NO_CACHE = AsciiString.cached("no-cache");
  static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
  static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");

  /** The bundle's detached JWS (docs/adr/0011), on every 200 of a signed version. */
  static final AsciiString SIGNATURE = AsciiString.cached(ConfigSignatures.HEADER);

  /** Where a header goes: Netty's headers directly, Spring's through {@code toString()}. */
  @FunctionalInterface
  interface Sink {
    void set(AsciiString name, CharSequence value);
  }

  private FetchHeaders() {}

  /** ETag, version and revalidation headers: the same on 200 and 304, on both paths. */
  static void version(PublishedConfig config, Sink headers) {
    headers.set(ETAG, config.etag());
    headers.set(VERSION, config.versionText());
    headers.set(CACHE_CONTROL, NO_CACHE);
  }

  /** What a 200 adds, on both paths: the bundle's signature, when the version has one. */
  static void bundle(PublishedConfig config, Sink headers) {
    if (config.signature() != null) {
      headers.set(SIGNATURE, config.signature());
    }
  }
}
