package dev.ems.pki;

import static dev.ems.pki.PkiTestSupport.issue;
import static dev.ems.pki.PkiTestSupport.newEntity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ems.platform.security.ApiKeys;
import dev.ems.platform.security.Role;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
class TenantIsolationIT {

  @Autowired MockMvc mvc;
  @Autowired ApiKeys keys;

  @Test
  void anotherTenantCannotSeeIssueRevokeOrDeleteThisTenantsEntitiesAndCertificates()
      throws Exception {
    String entity = newEntity(mvc);
    String serial = issue(mvc, entity, TestCsrs.p256("CN=x")).get("serial").asString();
    String otherKey = ApiKeys.generate();
    keys.upsert(
        UUID.randomUUID(),
        "other-tenant",
        "other",
        ApiKeys.hash(otherKey),
        Role.ADMIN,
        Instant.now(),
        null);
    String other = "Bearer " + otherKey;

    mvc.perform(get("/api/v1/end-entities/" + entity).header("Authorization", other))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/v1/certificates/" + serial).header("Authorization", other))
        .andExpect(status().isNotFound());
    mvc.perform(get("/api/v1/certificates").param("entity", entity).header("Authorization", other))
        .andExpect(jsonPath("$.length()").value(0));
    mvc.perform(
            post("/api/v1/end-entities/" + entity + "/certificates")
                .header("Authorization", other)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"csr\":\"x\"}"))
        .andExpect(status().isNotFound());
    mvc.perform(
            post("/api/v1/certificates/" + serial + "/revoke")
                .header("Authorization", other)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"keyCompromise\"}"))
        .andExpect(status().isNotFound());
    mvc.perform(delete("/api/v1/end-entities/" + entity).header("Authorization", other))
        .andExpect(status().isNotFound());

    mvc.perform(get("/api/v1/certificates/" + serial).header("Authorization", PkiTestSupport.ADMIN))
        .andExpect(jsonPath("$.status").value("VALID"));
  }
}
