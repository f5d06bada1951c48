package dev.ems.pki.ejbca;

import static dev.ems.pki.PkiTestSupport.ADMIN;
import static dev.ems.pki.PkiTestSupport.certificates;
import static dev.ems.pki.PkiTestSupport.issue;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.pki.TestCsrs;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** The EJBCA back end against a real HTTPS server with client-certificate authentication. */
@SpringBootTest
@AutoConfigureMockMvc
class EjbcaIT {

  static EjbcaStub ejbca;

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @DynamicPropertySource
  static void ejbca(DynamicPropertyRegistry registry) throws Exception {
    ejbca = new EjbcaStub(Files.createTempDirectory("ejbca-stub"));
    registry.add("pki.backend", () -> "ejbca");
    registry.add("pki.ejbca.base-url", ejbca::baseUrl);
    registry.add("pki.ejbca.key-store", () -> ejbca.clientKeyStore.toString());
    registry.add("pki.ejbca.key-store-password", () -> EjbcaStub.PASSWORD);
    registry.add("pki.ejbca.trust-store", () -> ejbca.trustStore.toString());
    registry.add("pki.ejbca.trust-store-password", () -> EjbcaStub.PASSWORD);
    registry.add("pki.ejbca.ca-name", () -> EjbcaStub.CA_NAME);
    registry.add("pki.ejbca.tenant-ca-names.ejbca-b", () -> EjbcaStub.TENANT_CA_NAME);
  }

  @Autowired dev.ems.platform.security.ApiKeys keys;

  /**
   * Issue 19: a tenant mapped to an EJBCA CA of its own ({@code pki.ejbca.tenant-ca-names}) has its
   * entities registered with that CA and its certificates issued, chained and revoked by it; other
   * tenants keep the default CA.
   */
  @Test
  void aTenantMappedToItsOwnEjbcaCaIsIssuedByIt() throws Exception {
    String admin =
        dev.ems.pki.PkiTestSupport.operatorOf(
            keys, "ejbca-b", dev.ems.platform.security.Role.ADMIN);
    String entity = java.util.UUID.randomUUID().toString();
    mvc.perform(
            post("/api/v1/end-entities")
                .header("Authorization", admin)
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    json.writeValueAsString(
                        Map.of(
                            "name",
                            entity,
                            "subjectDn",
                            "CN=" + entity + ",O=ejbca-b",
                            "certificateProfile",
                            "device"))))
        .andExpect(status().isCreated());
    assertThat(ejbca.users.get("ems-ejbca-b-" + entity).get("ca_name").asString())
        .isEqualTo(EjbcaStub.TENANT_CA_NAME);
    String body =
        mvc.perform(
                post("/api/v1/end-entities/" + entity + "/certificates")
                    .header("Authorization", admin)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(json.writeValueAsString(Map.of("csr", TestCsrs.p256("CN=x")))))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    var issued = json.readTree(body);
    X509Certificate cert = certificates(issued.get("certificatePem").asString()).getFirst();
    assertThat(cert.getIssuerX500Principal().getName()).isEqualTo(EjbcaStub.TENANT_CA_DN);
    var chain = certificates(issued.get("chainPem").asString());
    assertThat(chain).hasSize(1);
    assertThat(chain.getFirst().getSubjectX500Principal().getName())
        .isEqualTo(EjbcaStub.TENANT_CA_DN);
    cert.verify(chain.getFirst().getPublicKey());
    String serial = issued.get("serial").asString();
    mvc.perform(
            post("/api/v1/certificates/" + serial + "/revoke")
                .header("Authorization", admin)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"keyCompromise\"}"))
        .andExpect(status().isOk());
    assertThat(ejbca.revoked).containsEntry(serial.toUpperCase(), "KEY_COMPROMISE");
  }

  @AfterAll
  static void stop() {
    ejbca.close();
  }

  @Test
  void registersIssuesRevokesAndDeletesThroughEjbcaOverMutualTls() throws Exception {
    String entity = newEntity(mvc);
    String username = "ems-default-" + entity;
    assertThat(ejbca.users).containsKey(username);
    assertThat(ejbca.users.get(username).get("subject_dn").asString()).contains("CN=" + entity);
    assertThat(ejbca.clientSubjects).contains("CN=ems-pki-service");

    var issued = issue(mvc, entity, TestCsrs.p256("CN=ignored"));
    X509Certificate cert = certificates(issued.get("certificatePem").asString()).getFirst();
    assertThat(cert.getIssuerX500Principal().getName()).isEqualTo(EjbcaStub.CA_DN);
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + entity);
    assertThat(certificates(issued.get("chainPem").asString())).hasSize(1);
    String serial = issued.get("serial").asString();

    revoke(serial, "keyCompromise").andExpect(status().isOk());
    assertThat(ejbca.revoked).containsEntry(serial.toUpperCase(), "KEY_COMPROMISE");

    mvc.perform(delete("/api/v1/end-entities/" + entity).header("Authorization", ADMIN))
        .andExpect(status().isOk());
    assertThat(ejbca.users).doesNotContainKey(username);
  }

  @Test
  void ejbcaErrorsBecomeProblemsAndChangeNothingLocally() throws Exception {
    String entity = newEntity(mvc);
    String serial = issue(mvc, entity, TestCsrs.p256("CN=x")).get("serial").asString();
    // EJBCA already has it revoked (e.g. by its own admin): 409 error_code/error_message
    ejbca.revoked.put(serial.toUpperCase(), "SUPERSEDED");
    revoke(serial, "keyCompromise")
        .andExpect(status().isBadGateway())
        .andExpect(jsonPath("$.code").value("pki-backend-error"))
        .andExpect(
            jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("already revoked")));
    assertThat(
            jdbc.sql("select status from certificate where serial = ?")
                .param(serial)
                .query(String.class)
                .single())
        .isEqualTo("VALID");

    // EJBCA lost the end entity: enrollment fails with its 400, nothing is stored
    ejbca.users.remove("ems-default-" + entity);
    mvc.perform(
            post("/api/v1/end-entities/" + entity + "/certificates")
                .header("Authorization", ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("csr", TestCsrs.p256("CN=x")))))
        .andExpect(status().isBadGateway())
        .andExpect(
            jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("Wrong username")));
    assertThat(
            jdbc.sql("select count(*) from certificate where entity_name = ?")
                .param(entity)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  private org.springframework.test.web.servlet.ResultActions revoke(String serial, String reason)
      throws Exception {
    return mvc.perform(
        post("/api/v1/certificates/" + serial + "/revoke")
            .header("Authorization", ADMIN)
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"reason\":\"" + reason + "\"}"));
  }
}
