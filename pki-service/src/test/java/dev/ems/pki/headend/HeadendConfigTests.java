package dev.ems.pki.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadendConfigTests {

  private final HeadendConfig config =
      new HeadendConfig(
          "Acme.Corp_1",
          "10.255.64.0/18",
          "10.255.0.1",
          "http://pki-service:8084/",
          "/pki/v1/crl/tenant-1");

  @Test
  void namesAreSafeForSwanctlSectionsAndFiles() {
    assertThat(config.name()).isEqualTo("ems-mgmt-acme-corp-1");
    assertThat(config.certificateFile()).isEqualTo("ems-mgmt-acme-corp-1.crt");
    assertThatThrownBy(() -> new HeadendConfig("Acme Corp, O=other", "p", "i", "u", "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new HeadendConfig("x".repeat(90), "p", "i", "u", "c").name()).hasSize(57);
  }

  @Test
  void devicesAreCheckedAgainstEmsRevocationAndGetTheTenantsPool() {
    String rendered = config.render();
    assertThat(rendered)
        .contains("\t\tpools = ems-mgmt-acme-corp-1\n")
        .contains("\t\taddrs = 10.255.64.0/18\n")
        .contains("\t\t\t\tlocal_ts = 10.255.0.1/32\n")
        .contains("\t\t\tid = \"O=Acme.Corp_1, CN=ems-mgmt\"\n")
        // only certificates whose chain runs through the tenant's own issuing CA (issue 19)
        .contains("\t\t\tcacerts = ems-tenant-ca.crt\n\t\t\trevocation = ifuri\n")
        .contains("\t\t\tid = \"O=Acme.Corp_1, CN=*\"\n\t\t\tcacerts")
        .contains("\t\tocsp_uris = http://pki-service:8084/pki/v1/ocsp\n")
        .contains("\t\tcacert = ems-tenant-ca.crt\n")
        .contains("\t\tcrl_uris = http://pki-service:8084/pki/v1/crl/tenant-1\n");
  }

  @Test
  void whileDevicesHoldCertificatesOfTheSharedCaTheConnectionAcceptsThatCaToo() {
    String rendered =
        new HeadendConfig(
                "acme", "10.255.64.0/18", "10.255.0.1", "http://pki:8084", "/pki/v1/crl/t", true)
            .render();
    assertThat(rendered)
        .contains("\t\t\tcacerts = ems-tenant-ca.crt, ems-shared-ca.crt\n")
        .contains(
            "\tems-shared-ca {\n\t\tcacert = ems-shared-ca.crt\n"
                + "\t\tocsp_uris = http://pki:8084/pki/v1/ocsp\n"
                + "\t\tcrl_uris = http://pki:8084/pki/v1/crl\n\t}\n}\n");
    assertThat(config.render()).doesNotContain("ems-shared-ca").endsWith("\t}\n}\n");
  }

  @Test
  void theHeadendsSubjectIsTheDevicesConventionAndItsIdentityTheCertificatesOrder() {
    // RFC 2253 (pki-service's) lists the last RDN first; the certificate and strongSwan O first
    assertThat(config.subjectDn()).isEqualTo("CN=ems-mgmt,O=Acme.Corp_1");
    assertThat(config.localId()).isEqualTo("O=Acme.Corp_1, CN=ems-mgmt");
  }

  @Test
  void sectionsAreBalanced() {
    String rendered = config.render().replaceAll("(?m)^#.*$", "");
    assertThat(rendered.chars().filter(c -> c == '{').count())
        .isEqualTo(rendered.chars().filter(c -> c == '}').count());
  }
}
