package dev.ems.simulator;

import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** The encodings EST (RFC 7030) puts on the wire: base64 PKCS#10 out, base64 certs-only CMS in. */
final class EstCodec {

  private EstCodec() {}

  static String base64(PKCS10CertificationRequest csr) throws Exception {
    return Base64.getMimeEncoder().encodeToString(csr.getEncoded());
  }

  /** The first certificate of a base64 certs-only SignedData, as PEM. */
  static String firstCertificatePem(String base64) throws Exception {
    byte[] der = Base64.getMimeDecoder().decode(base64);
    SignedData signed = SignedData.getInstance(ContentInfo.getInstance(der).getContent());
    byte[] certificate = signed.getCertificates().getObjectAt(0).toASN1Primitive().getEncoded();
    return pem(certificate);
  }

  /** Every certificate of a base64 certs-only SignedData, as PEM, in the order sent. */
  static String certificatesPem(String base64) throws Exception {
    byte[] der = Base64.getMimeDecoder().decode(base64);
    SignedData signed = SignedData.getInstance(ContentInfo.getInstance(der).getContent());
    StringBuilder pem = new StringBuilder();
    for (var certificate : signed.getCertificates()) {
      pem.append(pem(certificate.toASN1Primitive().getEncoded()));
    }
    return pem.toString();
  }

  static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes()));
  }
}
