package dev.ems.platform.kafka;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Failures that go away by themselves — the database down or restarting, the pool exhausted, a
 * deadlock or serialization failure, the broker unreachable or slow: worth retrying for as long as
 * they last, never a reason to dead-letter the event. Everything else is poison (the record itself
 * is wrong, so retrying cannot help).
 */
public final class TransientFailures {

  private TransientFailures() {}

  /** Whether the failure, or any of its causes, is one that goes away by itself. */
  public static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (isTransientItself(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static boolean isTransientItself(Throwable t) {
    return t instanceof TransientDataAccessException // incl. QueryTimeout, pessimistic locking
        || t instanceof RecoverableDataAccessException
        // incl. CannotGetJdbcConnectionException: the database is unreachable
        || t instanceof DataAccessResourceFailureException
        || t instanceof CannotCreateTransactionException
        // commit or rollback on a connection the outage broke
        || t instanceof TransactionSystemException
        || t instanceof SQLTransientException
        || t instanceof SQLRecoverableException
        // Kafka send/metadata timeouts, leader not available, broker unreachable
        || t instanceof RetriableException
        || t instanceof ConnectException
        || t instanceof SocketTimeoutException
        // PostgreSQL's class 08 (connection exception) and 57P (operator intervention: shutdown)
        || (t instanceof java.sql.SQLException sql && isConnectionState(sql.getSQLState()))
        || isClosedByThePool(t);
  }

  /**
   * HikariCP's answer on a connection it has evicted as broken (the database restarted under it),
   * without a SQLState: a rollback after the outage throws it in place of the failure that broke
   * the connection, so it is the outage's failure too.
   */
  private static boolean isClosedByThePool(Throwable t) {
    return t instanceof java.sql.SQLException sql
        && sql.getSQLState() == null
        && "Connection is closed".equals(sql.getMessage());
  }

  private static boolean isConnectionState(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
  }
}
