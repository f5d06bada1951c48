package dev.ems.device.enrollment;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * SCEP's memory (RFC 8894 3.2.1.4): the sender nonces seen (a message seen before is a replay) and
 * the transactions (the key that opened one, the certificate it got).
 *
 * <p>Replay window: a message whose signingTime lies more than {@code replayWindow} from now,
 * either way, is refused as {@code badTime}; so a message accepted at t was signed within [t −
 * window, t + window], and its replay after t + 2 × window is refused by its time alone. Its nonce
 * is needed no longer: {@link #purge} removes nonces seen more than twice the window ago, in
 * batches, every {@code device-api.scep.purge-interval}. A message without a signingTime (RFC 8894
 * does not require one) is judged by its nonce alone, so its replay after the purge would be taken
 * as a resend of its transaction (the same certificate, or refused once the token is spent).
 */
@Component
class ScepTransactions {

  private static final Logger log = LoggerFactory.getLogger(ScepTransactions.class);

  record Transaction(String keySha256, String certificatePem) {}

  private final JdbcClient jdbc;
  private final Duration replayWindow;
  private final int purgeBatch;
  private final Clock clock = Clock.systemUTC();

  ScepTransactions(
      JdbcClient jdbc,
      @Value("${device-api.scep.replay-window:PT24H}") Duration replayWindow,
      @Value("${device-api.scep.purge-batch:5000}") int purgeBatch) {
    this.jdbc = jdbc;
    this.replayWindow = replayWindow;
    this.purgeBatch = purgeBatch;
  }

  /** Refuses ({@code badTime}) a message signed outside the replay window around now. */
  void checkTime(Optional<Instant> signingTime) {
    Instant now = clock.instant();
    signingTime
        .filter(t -> t.isBefore(now.minus(replayWindow)) || t.isAfter(now.plus(replayWindow)))
        .ifPresent(
            t -> {
              throw new ScepMessage.Refused(
                  ScepMessage.FailInfo.BAD_TIME,
                  "The message was signed at "
                      + t
                      + ", more than "
                      + replayWindow
                      + " from this server's time "
                      + now);
            });
  }

  @Scheduled(
      fixedDelayString = "${device-api.scep.purge-interval:PT10M}",
      initialDelayString = "${device-api.scep.purge-interval:PT10M}")
  void purgeExpired() {
    try {
      int purged = purge(clock.instant());
      if (purged > 0) {
        log.info("purged {} SCEP nonces past the replay window", purged);
      }
    } catch (RuntimeException e) {
      // the database away or busy: the next run takes them
      log.warn("SCEP nonces not purged: {}", e.toString());
    }
  }

  /**
   * Removes the nonces seen more than twice the replay window before {@code now}, {@code
   * purge-batch} rows per transaction (no long lock, no huge WAL burst); returns how many.
   */
  int purge(Instant now) {
    Timestamp before = Timestamp.from(now.minus(replayWindow.multipliedBy(2)));
    int total = 0;
    while (true) {
      int deleted =
          jdbc.sql(
                  "delete from scep_nonce where sender_nonce in (select sender_nonce from"
                      + " scep_nonce where seen_at < ? limit ?)")
              .params(before, purgeBatch)
              .update();
      total += deleted;
      if (deleted < purgeBatch) {
        return total;
      }
    }
  }

  /** Whether this nonce is new (and now remembered). */
  boolean firstSight(byte[] senderNonce) {
    return jdbc.sql("insert into scep_nonce (sender_nonce) values (?) on conflict do nothing")
            .param(senderNonce)
            .update()
        == 1;
  }

  /** Opens the transaction for this key, or finds it open for this key; false: another key's. */
  boolean claim(String transactionId, String keySha256) {
    jdbc.sql(
            "insert into scep_transaction (transaction_id, key_sha256) values (?, ?)"
                + " on conflict do nothing")
        .params(transactionId, keySha256)
        .update();
    return find(transactionId).map(t -> t.keySha256().equals(keySha256)).orElse(false);
  }

  void issued(String transactionId, UUID deviceId, String certificatePem) {
    jdbc.sql(
            "update scep_transaction set device_id = ?, certificate_pem = ?"
                + " where transaction_id = ?")
        .params(deviceId, certificatePem, transactionId)
        .update();
  }

  Optional<Transaction> find(String transactionId) {
    return jdbc.sql(
            "select key_sha256, certificate_pem from scep_transaction where transaction_id = ?")
        .param(transactionId)
        .query((rs, i) -> new Transaction(rs.getString(1), rs.getString(2)))
        .optional();
  }
}
