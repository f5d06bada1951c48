package dev.ems.pki.headend;

import dev.ems.pki.endentity.EndEntityService;
import java.util.Locale;

/**
 * The swanctl configuration of a tenant's management tunnel headend (strongSwan): IKEv2 with the
 * headend's EMS certificate of the tenant ({@code CN=ems-mgmt,O=<tenant>}, identity {@code
 * O=<tenant>, CN=ems-mgmt}: what the devices' built-in swanctl file and {@code mgmt-ipsec} v5
 * expect of their own tenant's headend, so a headend certificate of another tenant is refused),
 * devices of this tenant only ({@code remote id = "O=<tenant>, CN=*"}: pki-service puts the tenant
 * in every device subject, {@code CN=<device id>,O=<tenant>}, and strongSwan matches DNs RDN by
 * RDN, in order and number, {@code *} matching any value) authenticated by certificates whose chain
 * runs through the tenant's own issuing CA ({@code cacerts}, issue 19: a certificate of another
 * tenant's CA fails the chain check even before its identity is looked at; strongSwan takes only a
 * self-signed certificate as trust anchor, so the bundle carries EMS's root too, and the {@code
 * cacerts} constraint is what confines the connection to the tenant's CA) with revocation checked
 * against EMS's OCSP responder and the tenant CA's CRL ({@code ifuri}: a device certificate whose
 * status EMS cannot confirm is refused; the issuing CA, which names no revocation URI, is not
 * checked — {@code strict} would refuse every device for want of a status of the issuing CA), a
 * virtual IP per device from the tenant's pool, and the headend's inner address as the only thing a
 * device reaches through the tunnel. The proposals are the devices' defaults. Plain text, no
 * Spring: rendered and tested in isolation.
 *
 * @param tenant the tenant the headend serves
 * @param pool the tenant's virtual IP pool (IPv4 CIDR)
 * @param innerAddress the headend's own address inside the tunnel (in the devices' {@code
 *     ems.mgmt_subnet}, 10.255.0.0/16 by default)
 * @param revocationBaseUrl where the headend reaches pki-service's {@code /pki/v1/crl} and {@code
 *     /pki/v1/ocsp}
 * @param crlPath the path of the tenant CA's CRL under it ({@code /pki/v1/crl/<CA id>})
 * @param sharedCa whether the connection also accepts certificates of the shared issuing CA of
 *     earlier releases: while devices of the tenant still hold one (they move to the tenant's CA
 *     when they renew); such a device is then told from another tenant's only by its subject's
 *     {@code O}
 */
record HeadendConfig(
    String tenant,
    String pool,
    String innerAddress,
    String revocationBaseUrl,
    String crlPath,
    boolean sharedCa) {

  /** The headend certificate's common name; its {@code O} is the tenant. */
  static final String HEADEND_CN = "ems-mgmt";

  /** The tenant's issuing CA: the connection's {@code cacerts}. */
  static final String ISSUING_CA_FILE = "ems-tenant-ca.crt";

  static final String ROOT_CA_FILE = "ems-root-ca.crt";

  /** The shared issuing CA of earlier releases, while the tenant's devices still need it. */
  static final String SHARED_CA_FILE = "ems-shared-ca.crt";

  /** Tenant ids that stand as a DN value in swanctl unquoted and unescaped. */
  static final java.util.regex.Pattern SAFE_TENANT =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  HeadendConfig(
      String tenant, String pool, String innerAddress, String revocationBaseUrl, String crlPath) {
    this(tenant, pool, innerAddress, revocationBaseUrl, crlPath, false);
  }

  HeadendConfig {
    if (!SAFE_TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("tenant id cannot stand in a swanctl identity: " + tenant);
    }
  }

  /**
   * The headend certificate's subject as pki-service registers it, {@code CN=ems-mgmt,O=<tenant>},
   * the devices' convention ({@link EndEntityService#tenantSubject}).
   */
  String subjectDn() {
    return EndEntityService.tenantSubject(tenant, HEADEND_CN);
  }

  /**
   * The headend's identity, its certificate's subject as strongSwan writes it (in the certificate's
   * order, {@code O} first): {@code O=<tenant>, CN=ems-mgmt}. The devices' swanctl file names the
   * same ({@code remote id}); strongSwan matches DNs RDN by RDN, in order and number.
   */
  String localId() {
    return "O=" + tenant + ", CN=" + HEADEND_CN;
  }

  /** The devices the connection accepts: the tenant's, by the {@code O} of their subject. */
  String remoteId() {
    return "O=" + tenant + ", CN=*";
  }

  /** The connection's, pool's and files' name: {@code ems-mgmt-<tenant>}, safe in swanctl. */
  String name() {
    String safe = tenant.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    return "ems-mgmt-" + (safe.length() > 48 ? safe.substring(0, 48) : safe);
  }

  String certificateFile() {
    return name() + ".crt";
  }

  String keyFile() {
    return name() + ".key";
  }

  String render() {
    String name = name();
    return """
        # EMS management tunnel headend of tenant %1$s, rendered by EMS (pki-service); its certificate names the tenant,
        # and the tenant's devices accept no other headend (their swanctl file: remote id = "O=<tenant>, CN=ems-mgmt").
        # Devices of this tenant only (O=<tenant> in the certificate's subject, issued by the tenant's own EMS CA) connect with IKEv2 and their EMS device certificate
        # (checked against EMS's OCSP responder and CRL on every authentication; unconfirmed status: refused), get an address from %2$s and reach %3$s.
        connections {
        \t%4$s {
        \t\tversion = 2
        \t\tproposals = aes256gcm16-prfsha384-ecp384,aes256-sha384-ecp384
        \t\tpools = %4$s
        \t\tunique = replace
        \t\tdpd_delay = 30s
        \t\tlocal {
        \t\t\tauth = pubkey
        \t\t\tcerts = %5$s
        \t\t\tid = "%6$s"
        \t\t}
        \t\tremote {
        \t\t\tauth = pubkey
        \t\t\tid = "%9$s"
        \t\t\tcacerts = %11$s
        \t\t\trevocation = ifuri
        \t\t}
        \t\tchildren {
        \t\t\tems-mgmt {
        \t\t\t\tlocal_ts = %3$s/32
        \t\t\t\tesp_proposals = aes256gcm16-ecp384,aes256gcm16
        \t\t\t\tdpd_action = clear
        \t\t\t}
        \t\t}
        \t}
        }
        pools {
        \t%4$s {
        \t\taddrs = %2$s
        \t}
        }
        authorities {
        \tems-tenant-ca {
        \t\tcacert = %7$s
        \t\tocsp_uris = %8$s/pki/v1/ocsp
        \t\tcrl_uris = %8$s%10$s
        \t}
        %12$s}
        """
        .formatted(
            tenant,
            pool,
            innerAddress,
            name,
            certificateFile(),
            localId(),
            ISSUING_CA_FILE,
            stripSlash(revocationBaseUrl),
            remoteId(),
            crlPath,
            sharedCa ? ISSUING_CA_FILE + ", " + SHARED_CA_FILE : ISSUING_CA_FILE,
            sharedCa
                ? "\tems-shared-ca {\n\t\tcacert = %s\n\t\tocsp_uris = %s/pki/v1/ocsp\n\t\tcrl_uris = %s/pki/v1/crl\n\t}\n"
                    .formatted(
                        SHARED_CA_FILE,
                        stripSlash(revocationBaseUrl),
                        stripSlash(revocationBaseUrl))
                : "");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
