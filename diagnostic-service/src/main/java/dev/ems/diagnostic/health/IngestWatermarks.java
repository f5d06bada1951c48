package dev.ems.diagnostic.health;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * How far telemetry has been consumed, per partition ({@code ingest_watermark}). Shared through the
 * database because every instance sweeps every device while each consumes only its partitions.
 */
@Repository
public class IngestWatermarks {

  private final JdbcClient jdbc;

  IngestWatermarks(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Moves the partitions' watermarks forward (never back), in partition order. */
  public void advance(Map<Integer, Instant> watermarks, Instant now) {
    if (watermarks.isEmpty()) {
      return;
    }
    var sorted = new TreeMap<>(watermarks);
    jdbc.sql(
            """
            insert into ingest_watermark (topic_partition, watermark, updated_at)
            select p, w, ? from unnest(?::text[]::int[], ?::text[]::timestamptz[]) as b(p, w)
            on conflict (topic_partition) do update
              set watermark = greatest(ingest_watermark.watermark, excluded.watermark),
                  updated_at = excluded.updated_at
            """)
        .params(
            Timestamp.from(now),
            sorted.keySet().stream().map(String::valueOf).toArray(String[]::new),
            sorted.values().stream().map(Instant::toString).toArray(String[]::new))
        .update();
  }

  /**
   * The time up to which all telemetry has been consumed: the oldest partition watermark, capped at
   * {@code now}; {@code now} before any partition was consumed (then no device is ONLINE).
   */
  public Instant current(Instant now) {
    Timestamp at = Timestamp.from(now);
    return jdbc.sql("select least(coalesce(min(watermark), ?), ?) from ingest_watermark")
        .params(at, at)
        .query(Timestamp.class)
        .single()
        .toInstant();
  }
}
