package dev.ems.pki.ejbca;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.system.PkiProperties;
import dev.ems.platform.web.EmsException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP access to EJBCA's REST API v1 with client-certificate (mTLS) authentication. EJBCA errors
 * ({@code {"error_code", "error_message"}}) become pki-backend-error problems; an unreachable EJBCA
 * becomes service-unavailable.
 */
class EjbcaClient {

  private static final Logger log = LoggerFactory.getLogger(EjbcaClient.class);

  private final HttpClient http;
  private final String baseUrl;
  private final Duration timeout;
  private final JsonMapper json;

  EjbcaClient(PkiProperties.Ejbca settings, JsonMapper json) {
    this.baseUrl = settings.baseUrl().replaceAll("/+$", "");
    this.timeout = settings.timeout() == null ? Duration.ofSeconds(10) : settings.timeout();
    this.json = json;
    this.http =
        HttpClient.newBuilder().connectTimeout(timeout).sslContext(sslContext(settings)).build();
  }

  JsonNode send(String method, String path, Object body) {
    String text = exchange(method, path, body);
    return text == null || text.isBlank() ? null : json.readTree(text);
  }

  /** A GET whose answer is not JSON, e.g. a PEM download. */
  String text(String path) {
    return exchange("GET", path, null);
  }

  private String exchange(String method, String path, Object body) {
    var request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      log.warn("EJBCA {} {} failed: {}", method, path, e.toString());
      throw new EmsException(ErrorCode.SERVICE_UNAVAILABLE, "The EJBCA back end is unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmsException(ErrorCode.SERVICE_UNAVAILABLE, "Interrupted calling EJBCA");
    }
    if (response.statusCode() >= 300) {
      String message = errorMessage(response.body());
      log.warn("EJBCA {} {} answered {}: {}", method, path, response.statusCode(), message);
      throw new EmsException(
          ErrorCode.PKI_BACKEND_ERROR, "EJBCA answered " + response.statusCode() + ": " + message);
    }
    return response.body();
  }

  static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String errorMessage(String body) {
    try {
      JsonNode node = json.readTree(body);
      return node.path("error_message").asString("(no error_message)");
    } catch (RuntimeException e) {
      return "(not a JSON error)";
    }
  }

  private static SSLContext sslContext(PkiProperties.Ejbca settings) {
    try {
      KeyManagerFactory kmf = null;
      if (settings.keyStore() != null && !settings.keyStore().isBlank()) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(
            load(settings.keyStore(), settings.keyStorePassword()),
            chars(settings.keyStorePassword()));
      }
      TrustManagerFactory tmf = null;
      if (settings.trustStore() != null && !settings.trustStore().isBlank()) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(settings.trustStore(), settings.trustStorePassword()));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up TLS for EJBCA (pki.ejbca.key-store)", e);
    }
  }

  private static KeyStore load(String path, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(path)) {
      store.load(in, chars(password));
    }
    return store;
  }

  private static char[] chars(String password) {
    return password == null ? new char[0] : password.toCharArray();
  }
}
