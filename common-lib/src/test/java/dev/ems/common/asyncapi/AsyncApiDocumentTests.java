package dev.ems.common.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ems.common.envelope.CloudEventCodec;
import dev.ems.common.envelope.EncodedEvent;
import dev.ems.common.envelope.EventEnvelope;
import dev.ems.common.event.EventTypes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/api/asyncapi.yaml} is generated from common-lib: this test fails when the committed
 * document differs from what the records say. Regenerate with {@code ./mvnw -B -o -pl common-lib
 * test -Dtest=AsyncApiDocumentTests -Dasyncapi.write=true} (or {@code ASYNCAPI_WRITE=true}).
 */
class AsyncApiDocumentTests {

  static final Path DOCUMENT = Path.of("..", "docs", "api", "asyncapi.yaml");
  private static final JsonMapper JSON = new JsonMapper();

  @Test
  void theCommittedDocumentIsTheGeneratedOne() throws Exception {
    String generated = AsyncApiYaml.write(AsyncApiDocument.build());
    if (Boolean.getBoolean("asyncapi.write") || "true".equals(System.getenv("ASYNCAPI_WRITE"))) {
      Files.createDirectories(DOCUMENT.getParent());
      Files.writeString(DOCUMENT, generated, StandardCharsets.UTF_8);
    }
    String committed =
        Files.exists(DOCUMENT) ? Files.readString(DOCUMENT, StandardCharsets.UTF_8) : "";
    if (!committed.equals(generated)) {
      fail(
          "docs/api/asyncapi.yaml is not what common-lib's records say; regenerate it with ./mvnw"
              + " -B -o -pl common-lib test -Dtest=AsyncApiDocumentTests -Dasyncapi.write=true");
    }
  }

  @Test
  void everyEventRecordOfCommonLibIsInTheCatalogue() {
    Set<Class<?>> records = new HashSet<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ems.common.event")) {
      if (c.isRecord() && c.getEnclosingClass().isEmpty()) {
        records.add(c.reflect());
      }
    }
    Set<Class<?>> parts = new HashSet<>();
    records.forEach(r -> collectParts(r, parts));
    Set<Class<?>> events =
        records.stream().filter(r -> !parts.contains(r)).collect(Collectors.toSet());
    Set<Class<?>> catalogued =
        EventTypes.ALL.stream().map(EventTypes.EventType::payload).collect(Collectors.toSet());
    assertThat(catalogued).containsExactlyInAnyOrderElementsOf(events);
    assertThat(events).hasSizeGreaterThanOrEqualTo(22);
  }

  @Test
  void recordsAsTheCodecWritesThemMatchTheirSchemas() {
    CloudEventCodec codec = new CloudEventCodec();
    // as a reader of the YAML sees it (a string that looks like a number must stay a string)
    Map<String, Object> document =
        AsyncApiYaml.mapper()
            .readValue(AsyncApiYaml.write(AsyncApiDocument.build()), new TypeReference<>() {});
    var schemas = new StrictSchemas(document);
    for (EventTypes.EventType type : EventTypes.ALL) {
      for (boolean nulls : new boolean[] {false, true}) {
        Record sample = SampleRecords.of(type.payload(), nulls);
        EncodedEvent event = codec.encode(EventEnvelope.of("/test", "t", "s", sample));
        assertThat(schemas.errors(type.payload().getSimpleName(), event.value()))
            .as("%s (nulls: %s): %s", type.payload().getSimpleName(), nulls, event.value())
            .isEmpty();
        Map<String, String> headers = new HashMap<>();
        event.headers().forEach((k, v) -> headers.put(k, new String(v, StandardCharsets.UTF_8)));
        assertThat(schemas.errors("CloudEventHeaders", JSON.writeValueAsBytes(headers)))
            .as("headers %s", headers)
            .isEmpty();
      }
    }
  }

  private static void collectParts(Class<?> record, Set<Class<?>> parts) {
    for (RecordComponent component : record.getRecordComponents()) {
      collect(component.getGenericType(), parts);
    }
  }

  private static void collect(Type type, Set<Class<?>> parts) {
    if (type instanceof ParameterizedType p) {
      for (Type argument : p.getActualTypeArguments()) {
        collect(argument, parts);
      }
    } else if (type instanceof Class<?> c && c.isRecord() && parts.add(c)) {
      collectParts(c, parts);
    }
  }
}
