package dev.ems.device.enrollment;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * SCEP's memory (RFC 8894 3.2.1.4): the sender nonces seen (a message seen before is a replay) and
 * the transactions (the key that opened one, the certificate it got).
 */
@Component
class ScepTransactions {

  record Transaction(String keySha256, String certificatePem) {}

  private final JdbcClient jdbc;

  ScepTransactions(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
