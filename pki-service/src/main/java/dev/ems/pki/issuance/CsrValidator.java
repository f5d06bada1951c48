package dev.ems.pki.issuance;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Parses a PEM PKCS#10 request and accepts it only if its self-signature verifies and its key is
 * strong enough: RSA of 2048 bits or more, or ECDSA on P-256 or P-384.
 */
public final class CsrValidator {

  static final int MIN_RSA_BITS = 2048;
  private static final Set<ASN1ObjectIdentifier> CURVES =
      Set.of(X9ObjectIdentifiers.prime256v1, SECObjectIdentifiers.secp384r1);

  // BouncyCastle's P-256 verification measured about twice as fast as the JDK's here; the
  // provider is used only for this, not registered globally
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private static final Pattern ARMOUR =
      Pattern.compile("-----(BEGIN|END) (NEW )?CERTIFICATE REQUEST-----");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  private CsrValidator() {}

  /** A verified request: the parsed structure, its public key and its DER form. */
  public record Csr(PKCS10CertificationRequest request, PublicKey publicKey, byte[] der) {}

  public static Csr parse(String pem) {
    byte[] der = decode(pem);
    PKCS10CertificationRequest request;
    PublicKey key;
    try {
      request = new PKCS10CertificationRequest(der);
      key = new JcaPKCS10CertificationRequest(request).getPublicKey();
    } catch (Exception | Error e) {
      throw invalid("The CSR is not a well-formed PKCS#10 request");
    }
    checkKey(request, key);
    boolean valid;
    try {
      valid =
          request.isSignatureValid(
              new JcaContentVerifierProviderBuilder().setProvider(BC).build(key));
    } catch (Exception e) {
      valid = false;
    }
    if (!valid) {
      throw invalid("The CSR's signature does not verify");
    }
    return new Csr(request, key, der);
  }

  private static void checkKey(PKCS10CertificationRequest request, PublicKey key) {
    var algorithm = request.getSubjectPublicKeyInfo().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm.getAlgorithm())) {
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw weak("RSA keys need at least " + MIN_RSA_BITS + " bits; this one has " + bits);
      }
      return;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      ASN1Encodable curve = algorithm.getParameters();
      if (!(curve instanceof ASN1ObjectIdentifier oid) || !CURVES.contains(oid)) {
        throw weak("Unsupported elliptic curve; use P-256 or P-384");
      }
      return;
    }
    throw weak("Unsupported key type " + algorithm.getAlgorithm() + "; use ECDSA P-256 or RSA");
  }

  private static byte[] decode(String pem) {
    if (pem == null || pem.isBlank()) {
      throw invalid("A PEM certificate signing request is required");
    }
    String body = WHITESPACE.matcher(ARMOUR.matcher(pem).replaceAll("")).replaceAll("");
    if (body.contains("-----") || body.isEmpty()) {
      throw invalid("The CSR must be PEM: -----BEGIN CERTIFICATE REQUEST-----");
    }
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw invalid("The CSR is not valid base64 PEM");
    }
  }

  private static EmsException invalid(String detail) {
    return new EmsException(ErrorCode.INVALID_CSR, detail, "csr");
  }

  private static EmsException weak(String detail) {
    return new EmsException(ErrorCode.WEAK_KEY, detail, "csr");
  }
}
