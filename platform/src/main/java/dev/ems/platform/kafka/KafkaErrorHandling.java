package dev.ems.platform.kafka;

import dev.ems.common.envelope.EventDecodingException;
import dev.ems.common.event.Topics;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The one rule every service applies to a record its listener failed on:
 *
 * <ul>
 *   <li><b>transient</b> ({@link TransientFailures}: database or broker unreachable, timeouts,
 *       deadlocks) — retried with back-off (capped at {@link #TRANSIENT_MAX_INTERVAL_MS}) for as
 *       long as it lasts, never dead-lettered; the error handler seeks the partition back, so order
 *       in the partition is kept and nothing behind the record overtakes it;
 *   <li><b>poison</b> ({@link #POISON}: not a valid event, invalid content, a constraint the data
 *       violates) — dead-lettered at once, retrying cannot fix it;
 *   <li>anything else — retried {@link #BOUNDED_RETRIES} times, then dead-lettered.
 * </ul>
 *
 * A dead letter goes to {@code <topic>.dlt} with Spring Kafka's {@code kafka_dlt-*} headers (the
 * original topic, partition, offset and the exception's class and message), where the dead-letter
 * API ({@link DeadLetterController}) lists, re-drives or discards it.
 */
public final class KafkaErrorHandling {

  /** Failures of the record itself: dead-lettered without a retry. */
  public static final List<Class<? extends Exception>> POISON =
      List.of(
          EventDecodingException.class,
          IllegalArgumentException.class,
          ConstraintViolationException.class,
          DataIntegrityViolationException.class);

  /** Retries of a failure that is neither transient nor poison before it is dead-lettered. */
  public static final int BOUNDED_RETRIES = 3;

  /** The longest pause between two attempts at a record that failed transiently. */
  public static final long TRANSIENT_MAX_INTERVAL_MS = 5_000;

  private KafkaErrorHandling() {}

  /** The platform's error handler: dead letters go to {@code <topic>.dlt}. */
  public static DefaultErrorHandler errorHandler(KafkaTemplate<String, byte[]> template) {
    return errorHandler(
        new DeadLetterPublishingRecoverer(
            template, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1)),
        200);
  }

  /** The rule with any recoverer and first back-off interval (tests). */
  static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer recoverer, long firstIntervalMs) {
    var bounded = new ExponentialBackOff(firstIntervalMs, 2.0);
    bounded.setMaxAttempts(BOUNDED_RETRIES);
    var handler = new DefaultErrorHandler(recoverer, bounded);
    POISON.forEach(handler::addNotRetryableExceptions);
    handler.setBackOffFunction((record, e) -> backOffFor(e, firstIntervalMs));
    return handler;
  }

  /** An unlimited back-off for a transient failure; null (the bounded default) otherwise. */
  static BackOff backOffFor(Exception failure, long firstIntervalMs) {
    if (!TransientFailures.isTransient(failure)) {
      return null;
    }
    var untilBack = new ExponentialBackOff(firstIntervalMs, 2.0);
    untilBack.setMaxInterval(TRANSIENT_MAX_INTERVAL_MS);
    return untilBack; // no attempt or time limit: until the failure goes away or the consumer stops
  }
}
