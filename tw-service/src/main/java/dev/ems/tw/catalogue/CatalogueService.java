package dev.ems.tw.catalogue;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.platform.web.Preconditions;
import dev.ems.platform.web.Problems.FieldError;
import dev.ems.tw.system.InvalidFieldsException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Adds, updates and removes a tenant's features. Every change gets the next version (above a
 * built-in of the same key, which the tenant's definition then shadows) and is published.
 */
@Service
class CatalogueService {

  static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private final FeatureCatalogue catalogue;
  private final FeatureSchemas schemas;
  private final FragmentChecks fragmentChecks;
  private final FeatureEvents events;
  private final Clock clock;

  CatalogueService(
      FeatureCatalogue catalogue,
      FeatureSchemas schemas,
      FragmentChecks fragmentChecks,
      FeatureEvents events,
      Clock clock) {
    this.fragmentChecks = fragmentChecks;
    this.catalogue = catalogue;
    this.schemas = schemas;
    this.events = events;
    this.clock = clock;
  }

  record Saved(Feature feature, boolean created) {}

  @Transactional
  Saved put(String tenant, String key, FeatureRequest request, String ifMatch) {
    if (!KEY.matcher(key).matches()) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "A feature key is lower-case letters, digits and -", "key");
    }
    validate(tenant, key, request);
    catalogue.lock(tenant, key);
    Optional<Feature> own = catalogue.findOwn(tenant, key);
    Optional<Feature> current = catalogue.find(tenant, key);
    // The ETag of a key is the version the tenant sees, its own or the built-in one.
    Preconditions.checkIfMatch(ifMatch, current.map(Feature::version).orElse(0));
    int version = current.map(Feature::version).orElse(0) + 1;
    Feature feature =
        new Feature(
            tenant,
            key,
            version,
            request.description(),
            request.parametersSchema(),
            request.templates(),
            request.dependsOn(),
            request.conflictsWith(),
            request.fragments());
    Instant now = clock.instant();
    catalogue.save(feature, now);
    events.changed(feature, now);
    return new Saved(feature, own.isEmpty());
  }

  @Transactional
  void delete(String tenant, String key, String ifMatch) {
    catalogue.lock(tenant, key);
    Feature own =
        catalogue
            .findOwn(tenant, key)
            .orElseThrow(
                () ->
                    catalogue.find(tenant, key).isPresent()
                        ? new EmsException(
                            ErrorCode.CONFLICT, "A built-in feature cannot be removed", "key")
                        : EmsException.notFound(ErrorCode.FEATURE_NOT_FOUND, key));
    Preconditions.checkIfMatch(ifMatch, own.version());
    long users = catalogue.devicesUsing(tenant, key);
    if (users > 0) {
      throw new EmsException(
          ErrorCode.FEATURE_IN_USE,
          "Feature " + key + " is enabled on " + users + " devices",
          "key");
    }
    catalogue.delete(tenant, key);
    events.deleted(own, clock.instant());
  }

  private void validate(String tenant, String key, FeatureRequest request) {
    List<FieldError> errors =
        new ArrayList<>(schemas.checkSchema(request.parametersSchema(), "parametersSchema"));
    if (!errors.isEmpty()) {
      throw new InvalidFieldsException(
          ErrorCode.FEATURE_SCHEMA_INVALID, "parametersSchema is not a valid JSON Schema", errors);
    }
    List<FieldError> fragmentErrors = fragmentChecks.check(request.fragments());
    if (!fragmentErrors.isEmpty()) {
      throw new InvalidFieldsException(
          ErrorCode.FEATURE_SCHEMA_INVALID,
          fragmentErrors.getFirst().field() + ": " + fragmentErrors.getFirst().message(),
          fragmentErrors);
    }
    checkReferences(tenant, key, request.dependsOn(), "dependsOn");
    checkReferences(tenant, key, request.conflictsWith(), "conflictsWith");
    for (int i = 0; i < request.conflictsWith().size(); i++) {
      if (request.dependsOn().contains(request.conflictsWith().get(i))) {
        throw new EmsException(
            ErrorCode.FEATURE_SCHEMA_INVALID,
            "A feature cannot both depend on and conflict with " + request.conflictsWith().get(i),
            "conflictsWith[" + i + "]");
      }
    }
  }

  private void checkReferences(String tenant, String key, List<String> keys, String field) {
    for (int i = 0; i < keys.size(); i++) {
      String other = keys.get(i);
      if (other.equals(key)) {
        throw new EmsException(
            ErrorCode.FEATURE_SCHEMA_INVALID,
            "A feature cannot refer to itself",
            field + "[" + i + "]");
      }
      if (catalogue.find(tenant, other).isEmpty()) {
        throw new EmsException(
            ErrorCode.FEATURE_NOT_FOUND, "No such feature: " + other, field + "[" + i + "]");
      }
    }
  }
}
