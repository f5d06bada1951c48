package dev.ems.platform.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an audit record: SHA-256 over its fields and the previous record's hash, each field
 * written as its length in UTF-8 bytes, a colon and the bytes (null as {@code -}), so no two
 * different records encode alike. A tenant's first record follows {@link #GENESIS}.
 */
public final class AuditChain {

  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static String hash(AuditRecord r) {
    MessageDigest sha = sha256();
    for (String field :
        new String[] {
          r.id().toString(),
          r.tenant(),
          Long.toString(r.seq()),
          instant(r.occurredAt()),
          r.actorType(),
          r.actorId(),
          r.actorName(),
          r.action(),
          r.resource(),
          r.status() == null ? null : r.status().toString(),
          r.requestId(),
          r.traceId(),
          r.requestDigest(),
          r.responseDigest(),
          r.previousHash()
        }) {
      if (field == null) {
        sha.update((byte) '-');
      } else {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
      }
      sha.update((byte) '\n');
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** SHA-256 of bytes, hex; null for no bytes. */
  public static String digest(byte[] bytes) {
    return bytes == null || bytes.length == 0
        ? null
        : HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Microseconds, as PostgreSQL keeps them. */
  private static String instant(Instant instant) {
    return instant.getEpochSecond() + "." + String.format("%06d", instant.getNano() / 1000);
  }
}
