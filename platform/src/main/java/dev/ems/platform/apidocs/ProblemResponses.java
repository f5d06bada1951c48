package dev.ems.platform.apidocs;

import dev.ems.common.error.ErrorCode;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The error responses of every operation as RFC 9457 problems ({@code application/problem+json}):
 * one schema per status whose {@code code} lists exactly the stable codes ({@link ErrorCode}) of
 * that status, so a client sees which codes an answer can carry and the contract test refuses a
 * code the document does not name.
 */
final class ProblemResponses {

  static final String MEDIA_TYPE = "application/problem+json";

  /** The statuses every operation may answer with (bad input, credentials, absence, state). */
  static final List<Integer> COMMON = List.of(400, 401, 403, 404, 409, 422);

  private ProblemResponses() {}

  /** Adds the {@code Problem<status>} schemas and the {@code FieldError} schema. */
  static void addSchemas(Components components) {
    components.addSchemas("FieldError", fieldError());
    statuses()
        .forEach(
            (status, codes) -> {
              components.addSchemas(schemaName(status), of(codes));
              components.addResponses(schemaName(status), response(status, codes));
            });
  }

  /** Adds the problem response of each status that the operation does not document already. */
  static void addResponses(Operation operation, List<Integer> statuses) {
    if (operation.getResponses() == null) {
      operation.setResponses(new ApiResponses());
    }
    Map<Integer, List<String>> byStatus = statuses();
    for (int status : statuses) {
      String key = Integer.toString(status);
      if (operation.getResponses().containsKey(key) || !byStatus.containsKey(status)) {
        continue;
      }
      operation
          .getResponses()
          .addApiResponse(
              key, new ApiResponse().$ref("#/components/responses/" + schemaName(status)));
    }
  }

  static ApiResponse response(int status, List<String> codes) {
    var schema = new JsonSchema().$ref("#/components/schemas/" + schemaName(status));
    return new ApiResponse()
        .description("Problem (RFC 9457); code: " + String.join(", ", codes))
        .content(new Content().addMediaType(MEDIA_TYPE, new MediaType().schema(schema)));
  }

  static String schemaName(int status) {
    return "Problem" + status;
  }

  /** The stable codes by HTTP status, in declaration order. */
  static Map<Integer, List<String>> statuses() {
    return Arrays.stream(ErrorCode.values())
        .collect(
            Collectors.groupingBy(
                ErrorCode::status,
                TreeMap::new,
                Collectors.mapping(ErrorCode::code, Collectors.toList())));
  }

  private static Schema<?> of(List<String> codes) {
    Map<String, Schema> properties = new LinkedHashMap<>();
    properties.put("type", string("A URI naming the problem type: urn:ems:problem:<code>"));
    properties.put("title", string("The problem type's title"));
    properties.put("status", type("integer", "The HTTP status"));
    properties.put("detail", string("What went wrong in this request, for people"));
    properties.put("instance", string("The request path"));
    var code = string("The stable code a client keys on; codes are only ever added");
    code.setEnum(List.<Object>copyOf(codes));
    properties.put("code", code);
    properties.put("field", string("The first offending field's JSON path, when there is one"));
    var errors = type("array", "Every offending field");
    errors.setItems(new JsonSchema().$ref("#/components/schemas/FieldError"));
    properties.put("errors", errors);
    var problem = type("object", "A problem (RFC 9457) with the EMS stable code");
    problem.setProperties(properties);
    problem.setRequired(List.of("type", "title", "status", "code"));
    return problem;
  }

  private static Schema<?> fieldError() {
    Map<String, Schema> properties = new LinkedHashMap<>();
    properties.put("field", string("The field's JSON path in the request"));
    properties.put("message", string("What is wrong with it"));
    var schema = type("object", "One offending field of a request");
    schema.setProperties(properties);
    schema.setRequired(List.of("field", "message"));
    return schema;
  }

  private static JsonSchema string(String description) {
    return type("string", description);
  }

  private static JsonSchema type(String type, String description) {
    var schema = new JsonSchema();
    schema.setTypes(Set.of(type));
    schema.setDescription(description);
    return schema;
  }
}
