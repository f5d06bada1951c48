package dev.ems.platform.outbox;

import dev.ems.common.envelope.CloudEventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves committed outbox events to Kafka in id order and deletes them once Kafka acknowledged them.
 * One relay per schema is active at a time (a transaction-scoped advisory lock), which keeps the
 * order per device with several instances running. While Kafka is down nothing is lost: the rows
 * stay and the relay retries with backoff. A record Kafka rejects for good (too large, invalid) is
 * set aside with its error instead of blocking the rest.
 */
public class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 500;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final KafkaTemplate<String, byte[]> kafka;
  private final JsonMapper json;
  private final Duration pollInterval;
  private final long lingerNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean wakeRequested;
  private volatile boolean running;
  private Thread worker;

  OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate tx,
      KafkaTemplate<String, byte[]> kafka,
      JsonMapper json,
      Duration pollInterval,
      Duration linger) {
    this.lingerNanos = linger.toNanos();
    this.jdbc = jdbc;
    this.tx = tx;
    this.kafka = kafka;
    this.json = json;
    this.pollInterval = pollInterval;
  }

  void wakeUp() {
    lock.lock();
    try {
      wakeRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    running = true;
    worker = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
  }

  @Override
  public void stop() {
    running = false;
    wakeUp();
    if (worker != null) {
      try {
        worker.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // stop after the web server and the listeners, start before them
    return Integer.MAX_VALUE - 2048;
  }

  private void loop() {
    Duration backoff = pollInterval;
    while (running) {
      try {
        int relayed = relayBatch();
        backoff = pollInterval;
        if (relayed == BATCH) {
          continue;
        }
      } catch (RuntimeException e) {
        log.warn("outbox relay: Kafka or the database is unavailable, retrying: {}", e.toString());
        backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
      }
      await(backoff);
      if (lingerNanos > 0) {
        // let the events of concurrent commits gather: one batch instead of one per commit
        LockSupport.parkNanos(lingerNanos);
      }
    }
  }

  /** Relays one batch; the number of events handled. */
  int relayBatch() {
    Integer handled =
        tx.execute(
            status -> {
              Boolean locked =
                  jdbc.sql(
                          "select pg_try_advisory_xact_lock(hashtext(current_schema() ||"
                              + " '.outbox_event'))")
                      .query(Boolean.class)
                      .single();
              if (!Boolean.TRUE.equals(locked)) {
                return 0;
              }
              // deleting relayed rows need not wait for the WAL flush: a crash that loses the
              // delete only sends those events again, which at-least-once delivery allows anyway
              jdbc.sql("set local synchronous_commit to off").update();
              List<Row> rows =
                  jdbc.sql(
                          "select id, topic, record_key, headers::text as headers, payload,"
                              + " traceparent, tracestate from outbox_event where failed_at is"
                              + " null order by id limit ?")
                      .param(BATCH)
                      .query(
                          (rs, n) ->
                              new Row(
                                  rs.getLong("id"),
                                  rs.getString("topic"),
                                  rs.getString("record_key"),
                                  rs.getString("headers"),
                                  rs.getBytes("payload"),
                                  rs.getString("traceparent"),
                                  rs.getString("tracestate")))
                      .list();
              if (rows.isEmpty()) {
                return 0;
              }
              return send(rows);
            });
    return handled == null ? 0 : handled;
  }

  private int send(List<Row> rows) {
    List<CompletableFuture<SendResult<String, byte[]>>> futures = new ArrayList<>(rows.size());
    for (Row row : rows) {
      futures.add(kafka.send(toRecord(row)));
    }
    kafka.flush();
    List<Long> done = new ArrayList<>();
    RuntimeException failure = null;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      try {
        futures.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        done.add(row.id);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IllegalStateException("interrupted");
        break;
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ee ? rootKafkaCause(ee) : e;
        if (isPermanent(cause)) {
          log.error(
              "outbox event {} to {} rejected by Kafka for good: {}",
              row.id,
              row.topic,
              cause.toString());
          jdbc.sql("update outbox_event set failed_at = now(), last_error = ? where id = ?")
              .params(cause.toString(), row.id)
              .update();
          continue;
        }
        failure =
            new IllegalStateException("Kafka did not acknowledge outbox event " + row.id, cause);
        break;
      }
    }
    if (!done.isEmpty()) {
      jdbc.sql("delete from outbox_event where id = any(?)")
          .param(done.toArray(Long[]::new))
          .update();
    }
    if (failure != null && done.isEmpty()) {
      throw failure;
    }
    return done.size();
  }

  private ProducerRecord<String, byte[]> toRecord(Row row) {
    Map<String, String> headers = json.readValue(row.headers, new TypeReference<>() {});
    var record = new ProducerRecord<String, byte[]>(row.topic, row.key, row.payload);
    headers.forEach(
        (k, v) -> record.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    addHeader(record, CloudEventCodec.H_TRACEPARENT, row.traceparent);
    addHeader(record, CloudEventCodec.H_TRACESTATE, row.tracestate);
    return record;
  }

  private static void addHeader(ProducerRecord<String, byte[]> record, String name, String value) {
    if (value != null && !value.isEmpty()) {
      record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static Throwable rootKafkaCause(ExecutionException e) {
    Throwable cause = e.getCause();
    while (cause != null
        && !(cause instanceof org.apache.kafka.common.KafkaException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause == null ? e : cause;
  }

  private static boolean isPermanent(Throwable cause) {
    return cause instanceof org.apache.kafka.common.errors.RecordTooLargeException
        || cause instanceof org.apache.kafka.common.errors.InvalidTopicException
        || (cause instanceof org.apache.kafka.common.errors.ApiException
            && !(cause instanceof RetriableException)
            && !(cause instanceof org.apache.kafka.common.errors.TimeoutException));
  }

  private void await(Duration duration) {
    lock.lock();
    try {
      if (!wakeRequested && running) {
        wake.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      }
      wakeRequested = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private record Row(
      long id,
      String topic,
      String key,
      String headers,
      byte[] payload,
      String traceparent,
      String tracestate) {}
}
