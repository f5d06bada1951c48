package dev.ems.device.identity;

import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI for TLS tests: CAs, a server certificate for 127.0.0.1/localhost, device client
 * certificates, PKCS#12 stores for device-api and SSL contexts for devices.
 */
public final class TestPki {

  public static final char[] PASSWORD = "changeit".toCharArray();
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** A key and the certificate that names it. */
  public record Issued(KeyPair keys, X509Certificate certificate) {

    public String pem() throws Exception {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    }

    public String fingerprint() throws Exception {
      return DeviceAuthenticator.sha256(certificate.getEncoded());
    }
  }

  private TestPki() {}

  public static Issued ca(String cn) throws Exception {
    KeyPair keys = keyPair();
    var name = new X500Name("CN=" + cn);
    var builder =
        builder(name, name, keys)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(keys, sign(builder, keys.getPrivate()));
  }

  /** An issuing CA under {@code root}, as pki-service makes one per tenant (issue 19). */
  public static Issued intermediate(Issued root, String cn) throws Exception {
    KeyPair keys = keyPair();
    var builder =
        builder(issuer(root), new X500Name("CN=" + cn), keys)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(keys, sign(builder, root.keys().getPrivate()));
  }

  public static Issued server(Issued ca) throws Exception {
    KeyPair keys = keyPair();
    var builder =
        builder(issuer(ca), new X500Name("CN=localhost"), keys)
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName[] {
                      new GeneralName(GeneralName.dNSName, "localhost"),
                      new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                    }))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new Issued(keys, sign(builder, ca.keys().getPrivate()));
  }

  /** A device certificate as pki-service issues them: CN = device id, client authentication. */
  public static Issued device(Issued ca, String cn) throws Exception {
    KeyPair keys = keyPair();
    var builder =
        builder(issuer(ca), new X500Name("CN=" + cn), keys)
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return new Issued(keys, sign(builder, ca.keys().getPrivate()));
  }

  /** A certificate for a key the device made (its CSR's), as the stub PKIs issue them. */
  public static X509Certificate certify(
      Issued ca, java.security.PublicKey key, String cn, Instant notAfter) throws Exception {
    var builder =
        new JcaX509v3CertificateBuilder(
                issuer(ca),
                BigInteger.valueOf(SERIALS.incrementAndGet()),
                Date.from(Instant.now().minusSeconds(60)),
                Date.from(notAfter),
                new X500Name("CN=" + cn),
                key)
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return sign(builder, ca.keys().getPrivate());
  }

  /**
   * A SCEP RA as pki-service makes it: an RSA key (SCEP clients encrypt with RSA key transport) for
   * signing and key encipherment.
   */
  public static Issued scepRa(Issued ca) throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    var builder =
        builder(issuer(ca), new X500Name("CN=EMS SCEP RA"), keys)
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    return new Issued(keys, sign(builder, ca.keys().getPrivate()));
  }

  public static Path keyStore(Path dir, Issued server, Issued ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        "server",
        server.keys().getPrivate(),
        PASSWORD,
        new X509Certificate[] {server.certificate(), ca.certificate()});
    return write(store, dir.resolve("server.p12"));
  }

  public static Path trustStore(Path dir, String name, Issued... cas) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < cas.length; i++) {
      store.setCertificateEntry("ca-" + i, cas[i].certificate());
    }
    return write(store, dir.resolve(name));
  }

  /**
   * The client side of a device: trusts {@code serverCa} and, when {@code device} is given, always
   * presents its certificate — even to a server that asks for another CA's, as an attacker would;
   * the JDK's own key manager would quietly send nothing instead.
   */
  public static SSLContext client(Issued serverCa, Issued device) throws Exception {
    return client(serverCa, device, new X509Certificate[0]);
  }

  /** As {@link #client(Issued, Issued)}, presenting {@code issuers} after the device's own. */
  public static SSLContext client(Issued serverCa, Issued device, X509Certificate... issuers)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server-ca", serverCa.certificate());
    var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        device == null ? null : new javax.net.ssl.KeyManager[] {new AlwaysPresent(device, issuers)},
        tmf.getTrustManagers(),
        null);
    return context;
  }

  /** A key manager that always presents the device's key and certificate. */
  public static javax.net.ssl.KeyManager keyManager(Issued device) {
    return new AlwaysPresent(device, new X509Certificate[0]);
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(Instant.now().minusSeconds(60)),
        Date.from(Instant.now().plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X500Name issuer(Issued ca) {
    return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static KeyPair keyPair() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static Path write(KeyStore store, Path file) throws Exception {
    try (var out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    }
    file.toFile().deleteOnExit();
    return file;
  }

  /** Offers one key and certificate whatever the server asks for. */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {

    private static final String ALIAS = "device";
    private final Issued device;
    private final X509Certificate[] issuers;

    AlwaysPresent(Issued device, X509Certificate[] issuers) {
      this.device = device;
      this.issuers = issuers;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      X509Certificate[] chain = new X509Certificate[1 + issuers.length];
      chain[0] = device.certificate();
      System.arraycopy(issuers, 0, chain, 1, issuers.length);
      return chain;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return device.keys().getPrivate();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
