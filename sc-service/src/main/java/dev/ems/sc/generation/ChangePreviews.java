package dev.ems.sc.generation;

import dev.ems.common.event.ConfigFile;
import dev.ems.sc.inventory.DeviceProfile;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The diff a staged change would make to a device: its current version's files against a render
 * with the staged inputs, both as operators see them (secrets masked exactly as a version's
 * operator copy masks them). Nothing is stored. A render that fails is reported with its reason.
 */
@Component
public class ChangePreviews {

  /**
   * {@code fromVersion} null when the device has no version yet; {@code diff} empty when the change
   * leaves the files as they are; {@code error} the reason when the staged inputs do not render.
   */
  public record Preview(UUID deviceId, Integer fromVersion, String diff, String error) {}

  private final ConfigRenderer renderer;
  private final ConfigVersions versions;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  ChangePreviews(
      ConfigRenderer renderer, ConfigVersions versions, JdbcClient jdbc, JsonMapper json) {
    this.renderer = renderer;
    this.versions = versions;
    this.jdbc = jdbc;
    this.json = json;
  }

  public Preview preview(DeviceProfile staged, RenderOverrides overrides) {
    var current = versions.latest(staged.id());
    int from = current.map(ConfigVersions.ConfigVersion::version).orElse(0);
    List<ConfigFile> before = current.map(ConfigVersions.ConfigVersion::files).orElse(List.of());
    Integer fromVersion = current.isPresent() ? from : null;
    try {
      var rendering = renderer.render(staged, lastInput(staged.id()), overrides);
      return new Preview(
          staged.id(),
          fromVersion,
          ConfigDiff.unified(from, before, from + 1, rendering.shownFiles()),
          null);
    } catch (ConfigRenderer.RenderFailure | ConfigRenderer.DefinitionMissing e) {
      return new Preview(staged.id(), fromVersion, null, e.getMessage());
    } catch (RuntimeException e) {
      // as the generation path: the message may quote a secret, the class does not
      return new Preview(
          staged.id(),
          fromVersion,
          null,
          "rendering the staged configuration failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The input a regeneration of the device would render with: its last operator request's. */
  Map<String, Object> lastInput(UUID deviceId) {
    String text =
        jdbc.sql(
                "select variables::text from config_request where device_id = ?"
                    + " and requested_by <> ? order by created_at desc limit 1")
            .params(deviceId, FeatureRegeneration.REQUESTED_BY)
            .query(String.class)
            .optional()
            .orElse("{}");
    return json.readValue(text, new TypeReference<Map<String, Object>>() {});
  }
}
