package dev.ems.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Hostile operator bodies: each a 4xx problem naming what is wrong, and nothing stored. */
@SpringBootTest
@AutoConfigureMockMvc
class HostileBodiesIT {

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"name\":\"nul\\u0000byte\"}",
        "{\"name\":\"bell\\u0007\"}",
        "{\"name\":12345}",
        "{\"name\":true}",
        "{\"name\":[\"a\",\"b\"]}",
        "{\"name\":{\"a\":1}}",
        "{\"name\":\"ok\",\"size\":1.5}",
        "{\"name\":\"ok\",\"size\":{}}",
        "{\"name\":\"ok\",\"size\":\"7\"}",
        "{\"name\":\"ok\",\"unknown\":1}",
        "{\"name\":\"ok\",\"tags\":{\"a\":{\"b\\u0000\":[\"y\"]}}}"
      })
  void wrongTypesControlCharactersAndUnknownFieldsAre400NamingTheField(String body)
      throws Exception {
    int before = widgets();
    mvc.perform(post(body))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.code").value("malformed-request"))
        .andExpect(jsonPath("$.field").exists());
    assertThat(widgets()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "", "[]", "\"text\"", "{\"name\":\"ok\"} trailing", "{"})
  void bodiesThatAreNoObjectAre400(String body) throws Exception {
    int before = widgets();
    mvc.perform(post(body))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.code").value("malformed-request"));
    assertThat(widgets()).isEqualTo(before);
  }

  @Test
  void deepNestingIsRefusedWithoutAStackOverflow() throws Exception {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    mvc.perform(post("{\"name\":\"deep\",\"size\":" + deep + "}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.code").value("malformed-request"));
  }

  @Test
  void aBodyOverOneMebibyteIs413() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
    mvc.perform(post(big))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(jsonPath("$.code").value("payload-too-large"));
  }

  private org.springframework.test.web.servlet.RequestBuilder post(String body) {
    return org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(
            "/api/v1/widgets")
        .header("Authorization", PlatformWebIT.ADMIN)
        .contentType(MediaType.APPLICATION_JSON)
        .content(body);
  }

  private int widgets() {
    return jdbc.sql("select count(*) from widget").query(Integer.class).single();
  }
}
