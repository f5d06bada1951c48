package dev.ems.common.asyncapi;

import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** The document as YAML, stable from run to run (insertion order, no document marker). */
final class AsyncApiYaml {

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          // "1.0" (ce_specversion) must stay a string, not become the number 1.0
          .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
          .build();

  private AsyncApiYaml() {}

  static String write(Map<String, Object> document) {
    return "# Generated from common-lib by AsyncApiDocumentTests; do not edit (README: Event stream)\n"
        + YAML.writeValueAsString(document);
  }

  static YAMLMapper mapper() {
    return YAML;
  }
}
