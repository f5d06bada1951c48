package dev.ems.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.ems.common.envelope.EventDecodingException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.UncategorizedDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.transaction.CannotCreateTransactionException;

class KafkaErrorHandlingTest {

  private final ConsumerRecord<String, byte[]> record =
      new ConsumerRecord<>("ems.test", 0, 42L, "key", new byte[] {1});
  private final List<Exception> deadLettered = new ArrayList<>();

  @Test
  void databaseAndBrokerOutagesAreTransient() {
    assertThat(TransientFailures.isTransient(new CannotGetJdbcConnectionException("down")))
        .isTrue();
    assertThat(TransientFailures.isTransient(new QueryTimeoutException("slow"))).isTrue();
    assertThat(
            TransientFailures.isTransient(
                new CannotCreateTransactionException("no connection", new ConnectException())))
        .isTrue();
    assertThat(TransientFailures.isTransient(new KafkaException("send", new TimeoutException())))
        .isTrue();
    assertThat(
            TransientFailures.isTransient(
                new RuntimeException(new SQLException("terminating connection", "57P01"))))
        .isTrue();
    assertThat(TransientFailures.isTransient(listenerFailed(new ConnectException("refused"))))
        .isTrue();
  }

  /**
   * What the outage's rollback throws in place of the query's own failure ("Application exception
   * overridden by rollback exception"): JPA's translation of Hibernate's "Unable to rollback
   * against JDBC Connection", caused by HikariCP's "Connection is closed" (no SQLState) on a
   * connection the pool had evicted as broken. sc-service failed a config request on it when
   * PostgreSQL restarted (PostgresOutageIT, CI 2026-12-02).
   */
  @Test
  void aRollbackOnAConnectionThePoolClosedIsTransient() {
    var rollback =
        new RuntimeException(
            "Unable to rollback against JDBC Connection", new SQLException("Connection is closed"));
    assertThat(
            TransientFailures.isTransient(
                new UncategorizedDataAccessException("rollback", rollback) {}))
        .isTrue();
    assertThat(TransientFailures.isTransient(new SQLException("Connection is open"))).isFalse();
  }

  @Test
  void poisonAndProgrammingErrorsAreNotTransient() {
    assertThat(TransientFailures.isTransient(new EventDecodingException("not an event"))).isFalse();
    assertThat(TransientFailures.isTransient(new DuplicateKeyException("dup"))).isFalse();
    assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    assertThat(TransientFailures.isTransient(new SQLException("syntax", "42601"))).isFalse();
  }

  @Test
  void aTransientFailureIsRetriedWithoutEverBeingDeadLettered() {
    DefaultErrorHandler handler = handler();
    for (int attempt = 0; attempt < 8; attempt++) {
      boolean recovered =
          handler.handleOne(
              listenerFailed(new CannotGetJdbcConnectionException("down")),
              record,
              consumer(),
              container());
      assertThat(recovered).as("attempt %d", attempt).isFalse();
    }
    assertThat(deadLettered).isEmpty();
  }

  @Test
  void poisonIsDeadLetteredAtOnce() {
    for (Exception poison :
        List.of(
            new EventDecodingException("not an event"),
            new IllegalArgumentException("bad"),
            new DataIntegrityViolationException("violates"))) {
      deadLettered.clear();
      boolean recovered =
          handler().handleOne(listenerFailed(poison), record, consumer(), container());
      assertThat(recovered).as(poison.getClass().getSimpleName()).isTrue();
      assertThat(deadLettered).hasSize(1);
    }
  }

  @Test
  void anyOtherFailureIsDeadLetteredAfterBoundedRetries() {
    DefaultErrorHandler handler = handler();
    int deliveries = 0;
    boolean recovered = false;
    while (!recovered && deliveries < 10) {
      deliveries++;
      recovered =
          handler.handleOne(
              listenerFailed(new IllegalStateException("bug")), record, consumer(), container());
    }
    assertThat(recovered).isTrue();
    assertThat(deliveries).isEqualTo(KafkaErrorHandling.BOUNDED_RETRIES + 1);
    assertThat(deadLettered).hasSize(1);
  }

  private DefaultErrorHandler handler() {
    return KafkaErrorHandling.errorHandler((r, e) -> deadLettered.add(e), 1);
  }

  private static ListenerExecutionFailedException listenerFailed(Throwable cause) {
    return new ListenerExecutionFailedException("listener failed", cause);
  }

  @SuppressWarnings("unchecked")
  private static Consumer<String, byte[]> consumer() {
    return mock(Consumer.class);
  }

  private static MessageListenerContainer container() {
    MessageListenerContainer container = mock(MessageListenerContainer.class);
    when(container.isRunning()).thenReturn(true);
    return container;
  }
}
