package dev.ems.device.enrollment;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** The CSR attributes EST's {@code csrattrs} names (RFC 7030 4.5.2): EC P-256, ECDSA SHA-256. */
final class CsrAttributes {

  static final byte[] DER = encode();

  private CsrAttributes() {}

  private static byte[] encode() {
    try {
      return new CsrAttrs(
              new AttrOrOID[] {
                new AttrOrOID(X9ObjectIdentifiers.ecdsa_with_SHA256),
                new AttrOrOID(
                    new Attribute(
                        X9ObjectIdentifiers.id_ecPublicKey,
                        new DERSet(new ASN1Encodable[] {SECObjectIdentifiers.secp256r1})))
              })
          .getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
