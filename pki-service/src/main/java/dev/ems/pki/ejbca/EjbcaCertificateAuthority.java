package dev.ems.pki.ejbca;

import dev.ems.pki.backend.CertificateAuthority;
import dev.ems.pki.backend.IssuedCertificate;
import dev.ems.pki.backend.RevocationReason;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.system.Pem;
import dev.ems.pki.system.PkiProperties;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PrimeKey EJBCA as the CA, over REST API v1: end entities via {@code /v1/endentity}, issuance via
 * {@code /v1/certificate/pkcs10enroll}, revocation via {@code
 * /v1/certificate/{issuer_dn}/{serial}/revoke}. Validity and extensions are EJBCA's certificate
 * profile's business; the subject is the end entity's.
 */
@Component
@ConditionalOnProperty(name = "pki.backend", havingValue = "ejbca")
class EjbcaCertificateAuthority implements CertificateAuthority {

  private final EjbcaClient client;
  private final PkiProperties.Ejbca settings;
  private final byte[] passwordKey;

  /** CA name → its chain (the CA first), as EJBCA last answered it. */
  private final Map<String, List<X509Certificate>> chains = new ConcurrentHashMap<>();

  EjbcaCertificateAuthority(PkiProperties properties, JsonMapper json) {
    this.settings = properties.ejbca();
    this.client = new EjbcaClient(settings, json);
    this.passwordKey = Base64.getDecoder().decode(properties.keyEncryptionKey());
  }

  @Override
  public void register(EndEntity entity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username(entity));
    body.put("password", password(entity));
    body.put("subject_dn", entity.subjectDn());
    body.put("subject_alt_name", subjectAltName(entity));
    body.put("ca_name", settings.caNameOf(entity.tenant()));
    body.put("certificate_profile_name", settings.certificateProfile());
    body.put("end_entity_profile_name", settings.endEntityProfile());
    body.put("token", "USERGENERATED");
    client.send("POST", "/v1/endentity", body);
  }

  @Override
  public IssuedCertificate issue(
      EndEntity entity,
      PKCS10CertificationRequest csr,
      PublicKey key,
      java.time.Duration validity) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("certificate_request", pem(csr));
    body.put("certificate_profile_name", settings.certificateProfile());
    body.put("end_entity_profile_name", settings.endEntityProfile());
    body.put("certificate_authority_name", settings.caNameOf(entity.tenant()));
    body.put("username", username(entity));
    body.put("password", password(entity));
    body.put("include_chain", true);
    JsonNode response = client.send("POST", "/v1/certificate/pkcs10enroll", body);
    X509Certificate certificate =
        Pem.parse(Base64.getDecoder().decode(response.get("certificate").asString()));
    List<X509Certificate> issuers = new ArrayList<>();
    for (JsonNode c : response.path("certificate_chain")) {
      issuers.add(Pem.parse(Base64.getDecoder().decode(c.asString())));
    }
    if (!issuers.isEmpty() && issuers.getFirst().equals(certificate)) {
      issuers.removeFirst(); // EJBCA may start the chain with the leaf itself
    }
    chains.put(settings.caNameOf(entity.tenant()), List.copyOf(issuers));
    return new IssuedCertificate(certificate, List.copyOf(issuers));
  }

  @Override
  public void revoke(String issuerDn, String serialHex, RevocationReason reason) {
    client.send(
        "PUT",
        "/v1/certificate/"
            + EjbcaClient.encode(issuerDn)
            + "/"
            + serialHex.toUpperCase()
            + "/revoke?reason="
            + reason.ejbcaName(),
        null);
  }

  @Override
  public List<X509Certificate> chain() {
    return chainOfCa(settings.caName());
  }

  @Override
  public List<X509Certificate> chain(String tenant) {
    return chainOfCa(settings.caNameOf(tenant));
  }

  @Override
  public List<X509Certificate> chainOf(String tenant, String issuerDn) {
    List<X509Certificate> tenants = chain(tenant);
    if (!tenants.isEmpty()
        && tenants.getFirst().getSubjectX500Principal().getName().equals(issuerDn)) {
      return tenants;
    }
    // issued before the tenant had a CA of its own in the map: the default CA's
    return chain();
  }

  private List<X509Certificate> chainOfCa(String caName) {
    List<X509Certificate> known = chains.get(caName);
    if (known != null) {
      return known;
    }
    // nothing issued by it since start: look the CA up by name and download its chain (PEM)
    JsonNode cas = client.send("GET", "/v1/ca", null);
    for (JsonNode ca : cas.path("certificate_authorities")) {
      if (caName.equals(ca.path("name").asString())) {
        String pem =
            client.text(
                "/v1/ca/"
                    + EjbcaClient.encode(ca.path("subject_dn").asString())
                    + "/certificate/download");
        return chains.computeIfAbsent(caName, n -> List.copyOf(Pem.parseAll(pem)));
      }
    }
    throw new dev.ems.platform.web.EmsException(
        dev.ems.common.error.ErrorCode.PKI_BACKEND_ERROR, "EJBCA does not know the CA " + caName);
  }

  @Override
  public void remove(EndEntity entity) {
    client.send("DELETE", "/v1/endentity/" + EjbcaClient.encode(username(entity)), null);
  }

  static String username(EndEntity entity) {
    return "ems-" + entity.tenant() + "-" + entity.name();
  }

  /** EJBCA wants an enrollment password; derived, so there is no extra secret to store. */
  String password(EndEntity entity) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(passwordKey, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal(username(entity).getBytes(StandardCharsets.UTF_8)))
          .substring(0, 32);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String subjectAltName(EndEntity entity) {
    StringBuilder san = new StringBuilder("uniformResourceIdentifier=urn:uuid:" + entity.name());
    entity.dnsNames().forEach(d -> san.append(", dNSName=").append(d));
    return san.toString();
  }

  private static String pem(PKCS10CertificationRequest csr) {
    try {
      return Pem.encode("CERTIFICATE REQUEST", csr.getEncoded());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
