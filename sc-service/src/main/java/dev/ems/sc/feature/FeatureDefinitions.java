package dev.ems.sc.feature;

import dev.ems.common.event.FeatureDefinitionChanged;
import dev.ems.common.event.FeatureFragment;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * SC's copy of tw-service's feature definitions (table {@code feature_definition}), every version
 * of every feature: a device's feature set names the version it runs. Events of different versions
 * travel under different record keys, so they may arrive in any order; {@code changedAt} decides
 * which of two events about one version wins.
 */
@Repository
public class FeatureDefinitions {

  /** What SC renders of one feature version: template set → fragments. */
  public record Definition(
      String tenant, String key, int version, Map<String, List<FeatureFragment>> fragments) {

    public List<FeatureFragment> fragmentsFor(String templateSet) {
      return fragments.getOrDefault(templateSet, List.of());
    }
  }

  private final JdbcClient jdbc;
  private final JsonMapper json;

  FeatureDefinitions(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * The definition a device of the tenant runs for the feature version: the tenant's own, else the
   * built-in one (tenant {@code *}); empty when SC has not received it, or it was removed.
   */
  public Optional<Definition> find(String tenant, String key, int version) {
    return jdbc.sql(
            "select tenant_id, fragments::text from feature_definition"
                + " where key = ? and version = ? and tenant_id in (?, '*') and not deleted"
                + " order by (tenant_id = '*') limit 1")
        .params(key, version, tenant)
        .query(
            (rs, n) ->
                new Definition(
                    rs.getString(1),
                    key,
                    version,
                    json.readValue(
                        rs.getString(2),
                        new TypeReference<Map<String, List<FeatureFragment>>>() {})))
        .optional();
  }

  /**
   * Stores the event; a redelivered or older event changes nothing. A removal marks every version
   * of the tenant's feature that is not newer than the removal (and the removed version itself,
   * should it not be stored yet); a version arriving later with an older {@code changedAt}, as a
   * replay of the compacted topic may deliver it, is stored as removed.
   */
  void store(String tenant, FeatureDefinitionChanged event) {
    Timestamp at = Timestamp.from(event.changedAt());
    if (event.deleted()) {
      jdbc.sql(
              "update feature_definition set deleted = true, changed_at = ?"
                  + " where tenant_id = ? and key = ? and changed_at <= ? and not deleted")
          .params(at, tenant, event.key(), at)
          .update();
      jdbc.sql(
              """
              insert into feature_definition (tenant_id, key, version, fragments, deleted,
                changed_at)
              values (?, ?, ?, '{}'::jsonb, true, ?)
              on conflict (tenant_id, key, version) do nothing
              """)
          .params(tenant, event.key(), event.version(), at)
          .update();
      return;
    }
    Map<String, List<FeatureFragment>> fragments =
        event.fragments() == null ? Map.of() : event.fragments();
    jdbc.sql(
            """
            insert into feature_definition (tenant_id, key, version, fragments, deleted, changed_at)
            values (?, ?, ?, ?::jsonb, exists (select 1 from feature_definition d
              where d.tenant_id = ? and d.key = ? and d.deleted and d.changed_at > ?), ?)
            on conflict (tenant_id, key, version) do update set fragments = excluded.fragments,
              deleted = excluded.deleted, changed_at = excluded.changed_at
            where feature_definition.changed_at < excluded.changed_at
            """)
        .params(
            tenant,
            event.key(),
            event.version(),
            json.writeValueAsString(fragments),
            tenant,
            event.key(),
            at,
            at)
        .update();
  }
}
