package dev.ems.platform.web;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.Set;

/**
 * What every service that checks operator input against a JSON Schema (2020-12, networknt) shares:
 * a registry that never fetches a remote {@code $ref} (a schema an operator posts must not make EMS
 * call out), and the JSON path of an error's offending value in the request ({@code
 * params.vlans[0].id}, {@code variables.timezone}).
 */
public final class JsonSchemas {

  public static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  // Keywords whose error is about a named child the instance lacks or must not have.
  private static final Set<String> CHILD_KEYWORDS =
      Set.of("required", "additionalProperties", "unevaluatedProperties", "dependentRequired");

  private JsonSchemas() {}

  public static SchemaRegistry offlineRegistry() {
    return SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12,
        b -> b.schemaLoader(l -> l.fetchRemoteResources(false)));
  }

  /** The path of the value an error is about, under {@code prefix}. */
  public static String fieldPath(Error error, String prefix) {
    StringBuilder path = new StringBuilder(prefix);
    NodePath location = error.getInstanceLocation();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append('.').append(element);
      }
    }
    if (error.getProperty() != null && CHILD_KEYWORDS.contains(error.getKeyword())) {
      path.append('.').append(error.getProperty());
    }
    return path.toString();
  }
}
