package dev.ems.device.system;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.StrictJson;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads device request bodies strictly: bounded size, valid JSON, no unknown fields, constraints
 * checked — each failure a problem naming the field; nothing reaches Kafka or the database.
 */
@Component
public class DeviceBodies {

  private final JsonMapper strict;
  private final Validator validator;
  private final int maxBytes;

  DeviceBodies(JsonMapper json, Validator validator, DeviceApiProperties properties) {
    this.strict = StrictJson.strict(json);
    this.validator = validator;
    this.maxBytes = properties.maxBodyBytes();
  }

  public <T> Mono<T> read(ServerRequest request, Class<T> type) {
    long length = request.headers().contentLength().orElse(-1);
    if (length > maxBytes) {
      return Mono.error(tooLarge());
    }
    return request
        .bodyToMono(byte[].class)
        .switchIfEmpty(
            Mono.error(new EmsException(ErrorCode.MALFORMED_REQUEST, "The request has no body")))
        .map(bytes -> parse(bytes, type));
  }

  /** The raw body, bounded like every device body (EST and SCEP carry base64 or DER). */
  public Mono<byte[]> readBytes(ServerRequest request) {
    long length = request.headers().contentLength().orElse(-1);
    if (length > maxBytes) {
      return Mono.error(tooLarge());
    }
    return request
        .bodyToMono(byte[].class)
        .switchIfEmpty(
            Mono.error(new EmsException(ErrorCode.MALFORMED_REQUEST, "The request has no body")))
        .map(
            bytes -> {
              if (bytes.length > maxBytes) {
                throw tooLarge();
              }
              return bytes;
            });
  }

  private <T> T parse(byte[] bytes, Class<T> type) {
    if (bytes.length > maxBytes) {
      throw tooLarge();
    }
    T value;
    try {
      value = strict.readValue(bytes, type);
    } catch (DatabindException e) {
      String path = StrictJson.fieldPath(e);
      String field = path.isEmpty() ? "body" : path;
      throw new EmsException(
          ErrorCode.MALFORMED_REQUEST,
          "Field '" + field + "' is unknown, of the wrong type or holds a forbidden character",
          field);
    } catch (JacksonException e) {
      throw new EmsException(ErrorCode.MALFORMED_REQUEST, "The request body is not valid JSON");
    }
    if (value == null) {
      throw new EmsException(ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON object");
    }
    Set<ConstraintViolation<T>> violations = validator.validate(value);
    violations.stream()
        .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
        .ifPresent(
            v -> {
              throw new EmsException(
                  ErrorCode.VALIDATION_FAILED,
                  v.getPropertyPath() + " " + v.getMessage(),
                  v.getPropertyPath().toString());
            });
    return value;
  }

  private EmsException tooLarge() {
    return new EmsException(
        ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than " + maxBytes + " bytes");
  }
}
