package dev.ems.pki.enrollment;

import static dev.ems.pki.PkiTestSupport.newEntity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.embedded.TestInfrastructure;
import dev.ems.pki.TestCsrs;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(properties = "pki.internal-api-key=internal-test-key-0123456789")
@AutoConfigureMockMvc
class EnrollmentIT {

  static final String SERVICE = "Bearer internal-test-key-0123456789";

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @Test
  void sameDeviceAndSameCsrGetTheSameCertificateANewCsrANewOne() throws Exception {
    String device = newEntity(mvc);
    String csr = TestCsrs.p256("CN=whatever");
    String first = serial(enroll(SERVICE, device, csr).andExpect(status().isOk()));
    String again = serial(enroll(SERVICE, device, csr).andExpect(status().isOk()));
    String other = serial(enroll(SERVICE, device, TestCsrs.p256("CN=x")));

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(count(device)).isEqualTo(2);
    enroll(SERVICE, device, csr)
        .andExpect(jsonPath("$.chainPem").value(org.hamcrest.Matchers.containsString("BEGIN")))
        .andExpect(jsonPath("$.certificatePem").exists());
  }

  @Test
  void onlyServicesWithTheInternalKeyMayEnrollAndOperatorKeysDoNot() throws Exception {
    String device = newEntity(mvc);
    String csr = TestCsrs.p256("CN=x");
    enroll(null, device, csr)
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.code").value("unauthenticated"));
    enroll("Bearer wrong-key-wrong-key", device, csr).andExpect(status().isUnauthorized());
    enroll("Bearer " + TestInfrastructure.ADMIN_KEY, device, csr)
        .andExpect(status().isUnauthorized());
    assertThat(count(device)).isZero();
  }

  @Test
  void unknownDeviceIs404AndBadCsrIs422() throws Exception {
    enroll(SERVICE, UUID.randomUUID().toString(), TestCsrs.p256("CN=x"))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.code").value("end-entity-not-found"));
    String device = newEntity(mvc);
    enroll(SERVICE, device, TestCsrs.tampered())
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.code").value("invalid-csr"))
        .andExpect(jsonPath("$.field").value("csr"));
    assertThat(count(device)).isZero();
  }

  private ResultActions enroll(String auth, String device, String csr) throws Exception {
    var request =
        post("/internal/v1/enrollments")
            .contentType(MediaType.APPLICATION_JSON)
            .content(
                json.writeValueAsString(
                    Map.of("tenant", "default", "deviceId", device, "csr", csr)));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return mvc.perform(request);
  }

  private String serial(ResultActions result) throws Exception {
    return json.readTree(result.andReturn().getResponse().getContentAsString())
        .get("serial")
        .asString();
  }

  private long count(String device) {
    return jdbc.sql("select count(*) from certificate where entity_name = ?")
        .param(device)
        .query(Long.class)
        .single();
  }
}
