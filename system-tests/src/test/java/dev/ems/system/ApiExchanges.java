package dev.ems.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records the well-formed HTTP exchanges the system tests make through {@link SuiteHttp} and {@link
 * TwoTenants} (target/api-exchanges/exchanges.jsonl, one JSON object a line, keys redacted), for
 * the api-contract module to validate against docs/api/openapi.yaml. Each test JVM starts the file
 * afresh, so it holds the last run's exchanges only.
 */
final class ApiExchanges {

  static final Path FILE = Path.of("target", "api-exchanges", "exchanges.jsonl");

  private static final JsonMapper json = new JsonMapper();
  private static boolean started;

  private ApiExchanges() {}

  static synchronized void record(
      String service,
      String method,
      String pathAndQuery,
      boolean authorized,
      String requestContentType,
      String requestBody,
      int status,
      String responseContentType,
      String responseBody) {
    if (!pathAndQuery.matches("/(api|pki|device|internal)/.*")) {
      return; // actuator and the like: not part of the documented API
    }
    Map<String, Object> exchange = new LinkedHashMap<>();
    exchange.put("service", service);
    exchange.put("method", method);
    int query = pathAndQuery.indexOf('?');
    exchange.put("path", query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
    exchange.put("query", query < 0 ? null : pathAndQuery.substring(query + 1));
    exchange.put("authorized", authorized);
    exchange.put("requestContentType", requestContentType);
    exchange.put("requestBody", requestBody);
    exchange.put("status", status);
    exchange.put("responseContentType", responseContentType);
    exchange.put("responseBody", responseBody);
    try {
      if (!started) {
        Files.createDirectories(FILE.getParent());
        Files.deleteIfExists(FILE);
        started = true;
      }
      Files.writeString(
          FILE,
          json.writeValueAsString(exchange) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
