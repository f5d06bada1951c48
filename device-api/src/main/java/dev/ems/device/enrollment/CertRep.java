package dev.ems.device.enrollment;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A CertRep (RFC 8894 3.3.2), signed by the RA with SHA-256: SUCCESS carries the issued certificate
 * as a certs-only SignedData enveloped for the requester's signer certificate, in the content
 * encryption the request used (AES or 3DES); FAILURE carries the failInfo and, as RFC 8894 adds, a
 * failInfoText.
 */
final class CertRep {

  private static final Set<ASN1ObjectIdentifier> ANSWERED_IN_KIND =
      Set.of(
          CMSAlgorithm.AES128_CBC,
          CMSAlgorithm.AES192_CBC,
          CMSAlgorithm.AES256_CBC,
          CMSAlgorithm.DES_EDE3_CBC);
  private static final SecureRandom random = new SecureRandom();

  private CertRep() {}

  static byte[] success(ScepMessage request, byte[] certsOnly, ScepRa.Ra ra) {
    try {
      ASN1ObjectIdentifier cipher = request.contentEncryption();
      var envelope = new CMSEnvelopedDataGenerator();
      envelope.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(request.signer()));
      byte[] enveloped =
          envelope
              .generate(
                  new CMSProcessableByteArray(certsOnly),
                  new JceCMSContentEncryptorBuilder(
                          ANSWERED_IN_KIND.contains(cipher) ? cipher : CMSAlgorithm.AES128_CBC)
                      .build())
              .toASN1Structure()
              .getEncoded(ASN1Encoding.DER);
      return signed(request, "0", null, null, enveloped, ra);
    } catch (Exception e) {
      // e.g. a signer certificate without an RSA key: nothing can be encrypted for it
      return failure(
          request,
          ScepMessage.FailInfo.BAD_ALG,
          "The answer cannot be encrypted for the signer certificate's key",
          ra);
    }
  }

  static byte[] failure(
      ScepMessage request, ScepMessage.FailInfo failInfo, String text, ScepRa.Ra ra) {
    return signed(request, "2", failInfo, text, null, ra);
  }

  private static byte[] signed(
      ScepMessage request,
      String status,
      ScepMessage.FailInfo failInfo,
      String text,
      byte[] content,
      ScepRa.Ra ra) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    ASN1EncodableVector attributes = new ASN1EncodableVector();
    attributes.add(
        attribute(ScepMessage.MESSAGE_TYPE, new DERPrintableString(ScepMessage.CERT_REP)));
    attributes.add(attribute(ScepMessage.PKI_STATUS, new DERPrintableString(status)));
    attributes.add(
        attribute(ScepMessage.TRANSACTION_ID, new DERPrintableString(request.transactionId())));
    attributes.add(attribute(ScepMessage.SENDER_NONCE, new DEROctetString(nonce)));
    attributes.add(
        attribute(ScepMessage.RECIPIENT_NONCE, new DEROctetString(request.senderNonce())));
    if (failInfo != null) {
      attributes.add(attribute(ScepMessage.FAIL_INFO, new DERPrintableString(failInfo.value())));
      attributes.add(attribute(ScepMessage.FAIL_INFO_TEXT, new DERUTF8String(text)));
    }
    try {
      X509Certificate certificate = ra.certificate();
      var generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .setSignedAttributeGenerator(
                  new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(ra.key()), certificate));
      generator.addCertificate(new JcaX509CertificateHolder(certificate));
      // DER throughout: BouncyCastle's default BER chunks the content octets, and Go's pkcs7
      // (micromdm's scepclient) then digests the chunk headers too and finds a mismatch
      var signed =
          content == null
              ? generator.generate(new CMSAbsentContent(), false)
              : generator.generate(new CMSProcessableByteArray(content), true);
      return signed.toASN1Structure().getEncoded(ASN1Encoding.DER);
    } catch (Exception e) {
      throw new IllegalStateException("the RA cannot sign a CertRep", e);
    }
  }

  private static Attribute attribute(
      ASN1ObjectIdentifier oid, org.bouncycastle.asn1.ASN1Encodable value) {
    return new Attribute(oid, new DERSet(value));
  }
}
