package dev.ems.pki.headend;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.ca.IssuingCa;
import dev.ems.pki.ca.IssuingCas;
import dev.ems.pki.endentity.EndEntity;
import dev.ems.pki.endentity.EndEntityService;
import dev.ems.pki.issuance.Certificates;
import dev.ems.pki.issuance.GeneratedKeys;
import dev.ems.pki.system.KeyAlgorithm;
import dev.ems.pki.system.Pem;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.web.EmsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.springframework.stereotype.Service;

/**
 * Makes a tenant's headend bundle: its swanctl configuration and a new certificate and key for the
 * headend (an operator entity {@code CN=ems-mgmt,O=<tenant>} of the tenant, named by pki-service;
 * no operator can put another tenant in {@code O}), with the CA certificates the headend trusts:
 * the tenant's issuing CA (issue 19), whose certificates alone the connection accepts, and EMS's
 * root, which strongSwan needs as the self-signed anchor of that chain. Every bundle carries a new
 * key; the earlier certificates stay valid until they expire or an operator revokes them (so a
 * running headend keeps working while ops roll the new one out).
 */
@Service
class HeadendBundles {

  private final EndEntityService entities;
  private final GeneratedKeys keys;
  private final IssuingCas cas;
  private final PkiProperties properties;
  private final Certificates certificates;

  HeadendBundles(
      EndEntityService entities,
      GeneratedKeys keys,
      IssuingCas cas,
      PkiProperties properties,
      Certificates certificates) {
    this.certificates = certificates;
    this.entities = entities;
    this.keys = keys;
    this.cas = cas;
    this.properties = properties;
  }

  record BundleFile(String path, String mode, String content) {}

  record Bundle(
      String tenant,
      String connection,
      String certificateSerial,
      Instant notAfter,
      List<BundleFile> files) {}

  Bundle make(String tenant, String pool, String innerAddress, String revocationBaseUrl) {
    if (!HeadendConfig.SAFE_TENANT.matcher(tenant).matches()) {
      // only a bootstrap tenant configured with such an id: SC's tenant ids are [a-z0-9-]
      throw new EmsException(
          ErrorCode.CONFLICT,
          "This tenant's id cannot name its devices in a swanctl identity (letters, digits, . _ -)");
    }
    // the tenant's own CA, made now if this is the tenant's first need of it
    IssuingCa tenantCa = cas.forTenant(tenant);
    // devices not yet renewed out of the shared CA of earlier releases keep their tunnel until
    // they renew; a bundle made once none is left trusts the tenant's CA alone
    boolean sharedCa = certificates.deviceHoldsLiveCertificateOf(tenant, cas.shared().subjectDn());
    HeadendConfig config =
        new HeadendConfig(
            tenant,
            pool,
            innerAddress,
            revocationBaseUrl == null ? properties.publicUrl() : revocationBaseUrl,
            tenantCa.crlPath(),
            sharedCa);
    EndEntity entity = entities.operatorEntity(tenant, entityName(tenant), config.subjectDn());
    if (!new X500Principal(config.subjectDn()).getName().equals(entity.subjectDn())) {
      // the tenant's own operators registered the name first, with another subject
      throw new EmsException(
          ErrorCode.CONFLICT,
          "The headend's end entity "
              + entity.name()
              + " has the subject "
              + entity.subjectDn()
              + ", not "
              + config.subjectDn()
              + "; delete it to have it made again");
    }
    GeneratedKeys.WithKey made = keys.issue(entity, KeyAlgorithm.EC_P256);
    String key = Pem.encode("PRIVATE KEY", made.keys().getPrivate().getEncoded());
    List<BundleFile> files =
        new java.util.ArrayList<>(
            List.of(
                new BundleFile("conf.d/" + config.name() + ".conf", "0644", config.render()),
                new BundleFile(
                    "x509/" + config.certificateFile(),
                    "0644",
                    Pem.certificate(Pem.der(made.issued().certificate()))),
                new BundleFile("private/" + config.keyFile(), "0600", key),
                new BundleFile(
                    "x509ca/" + HeadendConfig.ISSUING_CA_FILE,
                    "0644",
                    Pem.certificate(Pem.der(tenantCa.certificate()))),
                new BundleFile(
                    "x509ca/" + HeadendConfig.ROOT_CA_FILE,
                    "0644",
                    Pem.certificate(Pem.der(cas.root())))));
    if (sharedCa) {
      files.add(
          new BundleFile(
              "x509ca/" + HeadendConfig.SHARED_CA_FILE,
              "0644",
              Pem.certificate(Pem.der(cas.shared().certificate()))));
    }
    return new Bundle(
        tenant,
        config.name(),
        made.issued().record().serial(),
        made.issued().record().notAfter(),
        files);
  }

  /**
   * The headend's entity name: a UUID of its own per tenant (entity names are UUIDs). A new one
   * since the subject names the tenant: the entity of the earlier {@code CN=ems-mgmt} certificates
   * keeps them, and deleting it revokes them once no device expects {@code CN=ems-mgmt} (README
   * "Management tunnel headend").
   */
  static String entityName(String tenant) {
    return UUID.nameUUIDFromBytes(("ems-mgmt-headend-o:" + tenant).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
