package dev.ems.device.enrollment;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The encodings of RFC 7030 (EST): certificates out as a certs-only CMS SignedData (RFC 5751's
 * "application/pkcs7-mime; smime-type=certs-only"), base64; PKCS#10 requests in as base64 DER.
 */
final class CertsOnly {

  static final String MEDIA_TYPE = "application/pkcs7-mime; smime-type=certs-only";

  private CertsOnly() {}

  /** A degenerate SignedData holding the PEM certificates, DER. */
  static byte[] der(String pem) {
    return der(certificates(pem));
  }

  /** The PEM certificates, in their order. */
  static List<X509Certificate> certificates(String pem) {
    try {
      List<X509Certificate> certificates = new ArrayList<>();
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        certificates.add((X509Certificate) c);
      }
      return certificates;
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException("cannot read certificates", e);
    }
  }

  /** A degenerate SignedData holding the certificates, in this order, DER. */
  static byte[] der(List<X509Certificate> certificates) {
    try {
      var generator = new CMSSignedDataGenerator();
      generator.addCertificates(new JcaCertStore(certificates));
      return generator
          .generate(new CMSAbsentContent())
          .toASN1Structure()
          .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
    } catch (Exception e) {
      throw new IllegalStateException("cannot encode certificates as CMS", e);
    }
  }

  /** Base64 with line breaks, as EST sends it (Content-Transfer-Encoding: base64). */
  static String base64(byte[] der) {
    return Base64.getMimeEncoder(64, new byte[] {'\r', '\n'}).encodeToString(der) + "\r\n";
  }

  /**
   * A base64 PKCS#10 request (line breaks allowed) as PEM, once it parses as PKCS#10; its signature
   * and key are checked by pki-service.
   */
  static String csrPem(byte[] body) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
      new PKCS10CertificationRequest(der);
    } catch (Exception | Error e) {
      throw new EmsException(
          ErrorCode.INVALID_CSR, "The body is not a base64 PKCS#10 certification request", "csr");
    }
    return pem(der);
  }

  static PKCS10CertificationRequest request(String csrPem) {
    try {
      return new PKCS10CertificationRequest(EnrollmentService.csrDer(csrPem));
    } catch (java.io.IOException e) {
      throw new EmsException(ErrorCode.INVALID_CSR, "The CSR is not PKCS#10", "csr");
    }
  }

  static String pem(byte[] csrDer) {
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(csrDer)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
