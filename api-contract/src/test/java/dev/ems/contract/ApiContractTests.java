package dev.ems.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP exchange the system tests made (recorded by their SuiteHttp and TwoTenants in
 * system-tests/target/api-exchanges) checked against the committed docs/api/openapi.yaml with
 * Atlassian's OpenAPI request validator: an undocumented path, status, media type, field or problem
 * code fails the build. A request is checked only when it succeeded: the tests send invalid ones on
 * purpose, and then only the problem they get back must match the document.
 */
class ApiContractTests {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SPEC = ROOT.resolve("docs/api/openapi.yaml");
  private static final Path EXCHANGES =
      ROOT.resolve("system-tests/target/api-exchanges/exchanges.jsonl");
  private static final ObjectMapper json = new ObjectMapper();
  private static final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  @Test
  void everyRecordedExchangeMatchesTheCommittedDocument() throws Exception {
    Assumptions.assumeTrue(
        Files.exists(EXCHANGES), "no exchanges recorded: run the system tests first");
    var validator =
        OpenApiInteractionValidator.createForSpecificationUrl(SPEC.toUri().toString())
            .withLevelResolver(
                LevelResolver.create()
                    // a field the document does not name is an error, in requests and responses
                    .withLevel(
                        "validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                    .build())
            .build();
    Operations operations = Operations.of(yaml.readTree(Files.readString(SPEC)));
    List<String> failures = new ArrayList<>();
    TreeMap<String, Integer> covered = new TreeMap<>();
    int count = 0;
    for (String line : Files.readAllLines(EXCHANGES)) {
      JsonNode exchange = json.readTree(line);
      count++;
      String method = exchange.get("method").asText();
      String path = exchange.get("path").asText();
      operations.match(method, path).ifPresent(op -> covered.merge(op, 1, Integer::sum));
      Request request = request(exchange);
      var response =
          new SimpleResponse.Builder(exchange.get("status").asInt())
              .withContentType(text(exchange, "responseContentType"))
              .withBody(text(exchange, "responseBody"));
      int status = exchange.get("status").asInt();
      ValidationReport report =
          status < 400
              ? validator.validate(request, response.build())
              : validator.validateResponse(path, request.getMethod(), response.build());
      if (report.hasErrors()) {
        failures.add(
            method
                + " "
                + path
                + " -> "
                + status
                + ": "
                + report.getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .map(m -> m.getKey() + " " + m.getMessage())
                    .toList());
      }
    }
    TreeSet<String> operator = new TreeSet<>(operations.operator());
    TreeSet<String> missed = new TreeSet<>(operator);
    missed.removeAll(covered.keySet());
    System.out.printf(
        "[api-contract] %d exchanges checked; operator operations covered: %d of %d documented"
            + " (all operations: %d of %d)%n",
        count,
        operator.size() - missed.size(),
        operator.size(),
        covered.size(),
        operations.all().size());
    System.out.println("[api-contract] operator operations no system test calls: " + missed);
    assertThat(failures).as("exchanges that do not match docs/api/openapi.yaml").isEmpty();
    assertThat(count).as("exchanges recorded").isPositive();
  }

  private static Request request(JsonNode exchange) {
    var builder =
        new SimpleRequest.Builder(
            exchange.get("method").asText().toUpperCase(Locale.ROOT),
            exchange.get("path").asText());
    if (exchange.get("authorized").asBoolean()) {
      builder.withHeader("Authorization", "Bearer recorded-key");
    }
    String contentType = text(exchange, "requestContentType");
    if (contentType != null) {
      builder.withContentType(contentType);
    }
    String body = text(exchange, "requestBody");
    if (body != null) {
      builder.withBody(body);
    }
    String query = text(exchange, "query");
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        builder.withQueryParam(name, value);
      }
    }
    return builder.build();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
