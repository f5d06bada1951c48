package dev.ems.device.enrollment;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;

/**
 * A SCEP pkiMessage (RFC 8894 3.2): a CMS SignedData, signed by the requester, whose signed
 * attributes carry the SCEP fields and whose content is an EnvelopedData for the RA. {@link #parse}
 * refuses what is not SCEP at all ({@link NotScep}: no reply can be addressed); {@link #open}
 * checks the signature and decrypts, refusing with the RFC's failInfo ({@link Refused}).
 */
record ScepMessage(
    String messageType,
    String transactionId,
    byte[] senderNonce,
    X509Certificate signer,
    SignerInformation signerInfo,
    CMSSignedData signed) {

  static final String PKCS_REQ = "19";
  static final String CERT_POLL = "20";
  static final String RENEWAL_REQ = "17";
  static final String CERT_REP = "3";

  static final ASN1ObjectIdentifier MESSAGE_TYPE = scep(2);
  static final ASN1ObjectIdentifier PKI_STATUS = scep(3);
  static final ASN1ObjectIdentifier FAIL_INFO = scep(4);
  static final ASN1ObjectIdentifier SENDER_NONCE = scep(5);
  static final ASN1ObjectIdentifier RECIPIENT_NONCE = scep(6);
  static final ASN1ObjectIdentifier TRANSACTION_ID = scep(7);

  /** RFC 8894 3.2.1.4.5: id-scep-failInfoText. */
  static final ASN1ObjectIdentifier FAIL_INFO_TEXT = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.24.1");

  /** RFC 8894 3.2.1.4.4. */
  enum FailInfo {
    BAD_ALG,
    BAD_MESSAGE_CHECK,
    BAD_REQUEST,
    BAD_TIME,
    BAD_CERT_ID;

    String value() {
      return Integer.toString(ordinal());
    }
  }

  /** Not a SCEP message: no transaction ID or nonce to answer to. */
  static final class NotScep extends RuntimeException {
    NotScep(String message) {
      super(message);
    }
  }

  /** A SCEP message refused with a failInfo: answered with a CertRep FAILURE. */
  static final class Refused extends RuntimeException {
    final transient FailInfo failInfo;

    Refused(FailInfo failInfo, String message) {
      super(message);
      this.failInfo = failInfo;
    }
  }

  private static ASN1ObjectIdentifier scep(int arc) {
    return new ASN1ObjectIdentifier("2.16.840.1.113733.1.9." + arc);
  }

  static ScepMessage parse(byte[] der) {
    CMSSignedData signed;
    try {
      signed = new CMSSignedData(der);
    } catch (Exception | Error e) {
      throw new NotScep("The body is not a CMS SignedData");
    }
    Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
    if (signers.size() != 1) {
      throw new NotScep("A SCEP message has exactly one signer");
    }
    SignerInformation signer = signers.iterator().next();
    AttributeTable attributes = signer.getSignedAttributes();
    if (attributes == null) {
      throw new NotScep("A SCEP message carries signed attributes");
    }
    String type = string(attributes, MESSAGE_TYPE);
    String transaction = string(attributes, TRANSACTION_ID);
    ASN1Encodable nonce = value(attributes, SENDER_NONCE);
    if (type == null
        || transaction == null
        || transaction.isEmpty()
        || transaction.length() > 128
        || !(nonce instanceof ASN1OctetString octets)
        || octets.getOctets().length < 8
        || octets.getOctets().length > 64) {
      throw new NotScep("A SCEP message names its type, transaction ID and sender nonce");
    }
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> held = signed.getCertificates().getMatches(signer.getSID());
    X509Certificate certificate = null;
    if (!held.isEmpty()) {
      try {
        certificate = new JcaX509CertificateConverter().getCertificate(held.iterator().next());
      } catch (Exception e) {
        certificate = null;
      }
    }
    return new ScepMessage(type, transaction, octets.getOctets(), certificate, signer, signed);
  }

  /**
   * When the requester signed the message (CMS signingTime, RFC 5652 11.3), if it says: most
   * clients (BouncyCastle's, hence jscep; OpenSSL's) sign one; RFC 8894 does not require it.
   * Unreadable counts as absent.
   */
  java.util.Optional<java.time.Instant> signingTime() {
    AttributeTable attributes = signerInfo.getSignedAttributes();
    ASN1Encodable value =
        attributes == null
            ? null
            : value(attributes, org.bouncycastle.asn1.cms.CMSAttributes.signingTime);
    if (value == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          org.bouncycastle.asn1.cms.Time.getInstance(value).getDate().toInstant());
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** A message's decrypted content and the RA it was encrypted for (which answers it). */
  record Opened(byte[] content, ScepRa.Ra ra) {}

  /**
   * The decrypted content, once the signature is the signer certificate's and the envelope is for
   * one of {@code ras}.
   */
  Opened open(List<ScepRa.Ra> ras) {
    if (signer == null) {
      throw new Refused(FailInfo.BAD_MESSAGE_CHECK, "The message carries no signer certificate");
    }
    boolean verified;
    try {
      verified = signerInfo.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
    } catch (Exception e) {
      verified = false;
    }
    if (!verified) {
      throw new Refused(FailInfo.BAD_MESSAGE_CHECK, "The message's signature does not verify");
    }
    if (signed.getSignedContent() == null
        || !(signed.getSignedContent().getContent() instanceof byte[] content)) {
      throw new Refused(FailInfo.BAD_REQUEST, "The message has no pkcsPKIEnvelope");
    }
    CMSEnvelopedData enveloped;
    try {
      enveloped = new CMSEnvelopedData(content);
    } catch (Exception | Error e) {
      throw new Refused(FailInfo.BAD_REQUEST, "The message's content is not a CMS EnvelopedData");
    }
    for (ScepRa.Ra ra : ras) {
      RecipientInformation recipient =
          enveloped.getRecipientInfos().get(new JceKeyTransRecipientId(ra.certificate()));
      if (recipient != null) {
        try {
          return new Opened(recipient.getContent(new JceKeyTransEnvelopedRecipient(ra.key())), ra);
        } catch (Exception e) {
          throw new Refused(FailInfo.BAD_MESSAGE_CHECK, "The envelope cannot be decrypted");
        }
      }
    }
    throw new Refused(
        FailInfo.BAD_MESSAGE_CHECK, "The envelope is not encrypted for the RA certificate");
  }

  /** The content encryption algorithm of the request's envelope, to answer in kind. */
  ASN1ObjectIdentifier contentEncryption() {
    try {
      return new CMSEnvelopedData((byte[]) signed.getSignedContent().getContent())
          .getContentEncryptionAlgorithm()
          .getAlgorithm();
    } catch (Exception e) {
      return null;
    }
  }

  private static ASN1Encodable value(AttributeTable attributes, ASN1ObjectIdentifier oid) {
    Attribute attribute = attributes.get(oid);
    return attribute == null || attribute.getAttrValues().size() != 1
        ? null
        : attribute.getAttrValues().getObjectAt(0);
  }

  private static String string(AttributeTable attributes, ASN1ObjectIdentifier oid) {
    return value(attributes, oid) instanceof ASN1String s ? s.getString() : null;
  }
}
