package dev.ems.tw.catalogue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores the features shipped with EMS ({@code tw-features/*.json}, tenant {@code *}) at start and
 * publishes those that are new or have a higher version than the stored one. Several instances
 * starting together are safe: the upsert only replaces an older version.
 */
@Component
class BuiltInFeatures implements ApplicationRunner {

  private final FeatureCatalogue catalogue;
  private final FeatureSchemas schemas;
  private final FragmentChecks fragmentChecks;
  private final FeatureEvents events;
  private final TransactionTemplate tx;
  private final JsonMapper json;
  private final Clock clock;

  BuiltInFeatures(
      FeatureCatalogue catalogue,
      FeatureSchemas schemas,
      FragmentChecks fragmentChecks,
      FeatureEvents events,
      TransactionTemplate tx,
      JsonMapper json,
      Clock clock) {
    this.catalogue = catalogue;
    this.schemas = schemas;
    this.fragmentChecks = fragmentChecks;
    this.events = events;
    this.tx = tx;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (Feature feature : load()) {
      tx.executeWithoutResult(
          status -> {
            Instant now = clock.instant();
            if (catalogue.save(feature, now)) {
              events.changed(feature, now);
            }
          });
    }
  }

  List<Feature> load() {
    List<Feature> features = new ArrayList<>();
    try {
      Resource[] resources =
          new PathMatchingResourcePatternResolver().getResources("classpath*:tw-features/*.json");
      for (Resource resource : resources) {
        try (InputStream in = resource.getInputStream()) {
          FeatureFile file = json.readValue(in, FeatureFile.class);
          Feature feature = file.toFeature();
          var errors =
              new ArrayList<>(schemas.checkSchema(feature.parametersSchema(), feature.key()));
          errors.addAll(fragmentChecks.check(feature.fragments()));
          if (!errors.isEmpty()) {
            throw new IllegalStateException("built-in feature " + feature.key() + ": " + errors);
          }
          features.add(feature);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return features;
  }

  /** The shape of a built-in feature file. */
  record FeatureFile(
      String key,
      int version,
      String description,
      java.util.Map<String, Object> parametersSchema,
      java.util.Map<String, String> templates,
      List<String> dependsOn,
      List<String> conflictsWith,
      java.util.Map<String, List<dev.ems.common.event.FeatureFragment>> fragments) {

    Feature toFeature() {
      return new Feature(
          Feature.BUILT_IN,
          key,
          version,
          description,
          parametersSchema,
          templates == null ? java.util.Map.of() : templates,
          dependsOn == null ? List.of() : dependsOn,
          conflictsWith == null ? List.of() : conflictsWith,
          fragments == null ? java.util.Map.of() : fragments);
    }
  }
}
