package dev.ems.common.signing;

import dev.ems.common.event.ConfigFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signature of a configuration bundle, one definition for the signer (sc-service), the server
 * (device-api) and the verifier (a device, device-simulator): JWS compact serialization with a
 * detached payload (RFC 7515 Appendix F), {@code <b64url(header)>..<b64url(signature)>}, ES256
 * (ECDSA P-256, SHA-256, the 64-byte R‖S form of RFC 7518 §3.4), header {@code
 * {"alg":"ES256","kid":…[,"x5t#S256":…]}}. The payload is the bundle's canonical bytes — files
 * sorted by path, each its path, a NUL, its content and a NUL — whose SHA-256 is the version's
 * {@code sha256} and ETag, so what is signed is exactly what the ETag names.
 *
 * <p>{@code kid} is the RFC 7638 JWK thumbprint of the signing public key: the signer knows it
 * before its certificate exists, and a verifier finds the certificate by it without a lookup table.
 * Written with the JDK alone (no JOSE library): the format is small and fixed, and every module
 * that needs it already depends on this jar.
 */
public final class ConfigSignatures {

  /** The response header of {@code GET /device/v1/config} that carries the signature. */
  public static final String HEADER = "EMS-Config-Signature";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  private static final Pattern MEMBER =
      Pattern.compile("\"([^\"\\\\]+)\"\\s*:\\s*\"([^\"\\\\]*)\"");
  private static final Pattern CERTIFICATE =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

  private ConfigSignatures() {}

  /** A signature that does not verify; the message says why, without key material. */
  public static final class Rejected extends Exception {
    public Rejected(String message) {
      super(message);
    }
  }

  /** What a verified signature was made with. */
  public record Verified(String kid, X509Certificate certificate) {}

  /** The canonical bytes of a bundle: what is hashed for its sha256 and signed. */
  public static byte[] payload(List<ConfigFile> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ConfigFile file : files.stream().sorted(Comparator.comparing(ConfigFile::path)).toList()) {
      out.writeBytes(file.path().getBytes(StandardCharsets.UTF_8));
      out.write(0);
      out.writeBytes(file.content().getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }

  /** The bundle's sha256 (hex): its version identity and ETag. */
  public static String sha256(List<ConfigFile> files) {
    return HexFormat.of().formatHex(digest(payload(files)));
  }

  /** The RFC 7638 thumbprint of an EC P-256 public key, base64url: the signature's {@code kid}. */
  public static String kid(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("a config-signing key is EC P-256");
    }
    String jwk =
        "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
            + B64.encodeToString(unsigned(ec.getW().getAffineX()))
            + "\",\"y\":\""
            + B64.encodeToString(unsigned(ec.getW().getAffineY()))
            + "\"}";
    return B64.encodeToString(digest(jwk.getBytes(StandardCharsets.UTF_8)));
  }

  /** The {@code x5t#S256} of a certificate: base64url SHA-256 of its DER. */
  public static String x5tS256(X509Certificate certificate) {
    try {
      return B64.encodeToString(digest(certificate.getEncoded()));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }

  /** Signs the bundle; {@code x5tS256} may be null while the key's certificate is not known. */
  public static String sign(List<ConfigFile> files, PrivateKey key, String kid, String x5tS256) {
    String header =
        "{\"alg\":\"ES256\",\"kid\":\""
            + kid
            + "\""
            + (x5tS256 == null ? "" : ",\"x5t#S256\":\"" + x5tS256 + "\"")
            + "}";
    String protectedHeader = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(signingInput(protectedHeader, files));
      return protectedHeader + ".." + B64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a config bundle", e);
    }
  }

  /** The {@code kid} a signature names, without verifying it; null when it is malformed. */
  public static String kidOf(String jws) {
    if (jws == null) {
      return null;
    }
    try {
      return header(jws).kid();
    } catch (Rejected e) {
      return null;
    }
  }

  /**
   * Verifies a signature over the bundle against config-signing certificates (each the leaf of a
   * chain the verifier trusts): the certificate whose key has the signature's {@code kid}, valid at
   * {@code now}, must match {@code x5t#S256} when the header has it and verify the signature.
   */
  public static Verified verify(
      List<ConfigFile> files, String jws, Collection<X509Certificate> signers, Instant now)
      throws Rejected {
    if (jws == null || jws.isBlank()) {
      throw new Rejected("the bundle is not signed");
    }
    Header header = header(jws);
    X509Certificate certificate = null;
    for (X509Certificate candidate : signers) {
      if (header.kid().equals(kidOrNull(candidate.getPublicKey()))) {
        certificate = candidate;
        break;
      }
    }
    if (certificate == null) {
      throw new Rejected("no config-signing certificate has key id " + header.kid());
    }
    if (header.x5t() != null && !header.x5t().equals(x5tS256(certificate))) {
      throw new Rejected("x5t#S256 does not match the certificate of key id " + header.kid());
    }
    try {
      certificate.checkValidity(Date.from(now));
    } catch (CertificateException e) {
      throw new Rejected("the certificate of key id " + header.kid() + " is not valid now");
    }
    byte[] signatureBytes;
    try {
      signatureBytes = B64D.decode(jws.substring(jws.lastIndexOf('.') + 1));
    } catch (IllegalArgumentException e) {
      throw new Rejected("the signature is not base64url");
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(certificate.getPublicKey());
      signature.update(signingInput(jws.substring(0, jws.indexOf('.')), files));
      if (signatureBytes.length != 64 || !signature.verify(signatureBytes)) {
        throw new Rejected("the bundle does not match its signature (key id " + header.kid() + ")");
      }
    } catch (GeneralSecurityException e) {
      throw new Rejected("the bundle does not match its signature (key id " + header.kid() + ")");
    }
    return new Verified(header.kid(), certificate);
  }

  /** The certificates of a PEM chain, in order. */
  public static List<X509Certificate> parseChain(String pem) {
    List<X509Certificate> chain = new ArrayList<>();
    if (pem == null) {
      return chain;
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Matcher m = CERTIFICATE.matcher(pem);
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a PEM certificate chain", e);
    }
    return chain;
  }

  private record Header(String kid, String x5t) {}

  private static Header header(String jws) throws Rejected {
    int first = jws.indexOf('.');
    if (first <= 0 || !jws.startsWith("..", first) || jws.indexOf('.', first + 2) >= 0) {
      throw new Rejected("the signature is not a JWS with a detached payload");
    }
    String json;
    try {
      json = new String(B64D.decode(jws.substring(0, first)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Rejected("the signature's header is not base64url");
    }
    String alg = null;
    String kid = null;
    String x5t = null;
    Matcher m = MEMBER.matcher(json);
    while (m.find()) {
      switch (m.group(1)) {
        case "alg" -> alg = m.group(2);
        case "kid" -> kid = m.group(2);
        case "x5t#S256" -> x5t = m.group(2);
        default -> {}
      }
    }
    if (!"ES256".equals(alg)) {
      throw new Rejected("the signature's algorithm is not ES256");
    }
    if (kid == null || kid.isEmpty()) {
      throw new Rejected("the signature names no key id");
    }
    return new Header(kid, x5t);
  }

  private static byte[] signingInput(String protectedHeader, List<ConfigFile> files) {
    byte[] head = (protectedHeader + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] payload = B64.encode(payload(files));
    byte[] input = Arrays.copyOf(head, head.length + payload.length);
    System.arraycopy(payload, 0, input, head.length, payload.length);
    return input;
  }

  private static String kidOrNull(PublicKey key) {
    try {
      return kid(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, 32 - length, length);
    return out;
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
