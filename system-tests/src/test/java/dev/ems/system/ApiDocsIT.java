package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.embedded.RawHttp;
import dev.ems.launcher.Suite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The committed docs/api/openapi.yaml is what the running services serve at {@code /v3/api-docs}
 * (merged, {@link OpenApiMerge}): a changed endpoint without a regenerated document fails here.
 * Regenerate with {@value #REGENERATE}.
 */
class ApiDocsIT {

  static final String REGENERATE =
      "./mvnw -B -pl system-tests -am verify -Djacoco.skip=true -Dtest=none"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ApiDocsIT -Dems.openapi.update=true";

  static final Path COMMITTED = repository().resolve("docs/api/openapi.yaml");

  private static final JsonMapper json = new JsonMapper();
  private static final YAMLMapper yaml =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();
  private static Suite suite;

  @BeforeAll
  static void startSuite() throws Exception {
    suite = RunningSuite.get();
  }

  @Test
  void theCommittedOpenApiIsWhatTheServicesServe() throws Exception {
    List<OpenApiMerge.ServiceDoc> docs = new ArrayList<>();
    for (Suite.Service service : Suite.SERVICES) {
      // public: no key (platform SecurityConfiguration.PUBLIC_API_DOCS)
      var response = RawHttp.get(suite.port(service.name()), "/v3/api-docs", null);
      assertThat(response.statusCode()).as(service.name() + ": " + response.body()).isEqualTo(200);
      docs.add(
          new OpenApiMerge.ServiceDoc(
              service.name(), service.defaultPort(), (ObjectNode) json.readTree(response.body())));
    }
    ObjectNode merged = OpenApiMerge.merge(docs);
    String generated = yaml.writeValueAsString(merged);
    if (Boolean.getBoolean("ems.openapi.update")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    System.out.printf(
        "[openapi] %d operations documented in %s%n",
        OpenApiMerge.operations(merged).size(), COMMITTED);
    assertThat(Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "")
        .as(
            "docs/api/openapi.yaml differs from what the services serve; regenerate it with: "
                + REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyServiceServesSwaggerUiWithoutAKey() throws Exception {
    for (Suite.Service service : Suite.SERVICES) {
      var response = RawHttp.get(suite.port(service.name()), "/swagger-ui/index.html", null);
      assertThat(response.statusCode()).as(service.name()).isEqualTo(200);
      assertThat(response.header("Content-Type")).as(service.name()).startsWith("text/html");
    }
  }

  /** The repository's root: system-tests' parent folder. */
  private static Path repository() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("docs")) ? here : here.getParent();
  }
}
