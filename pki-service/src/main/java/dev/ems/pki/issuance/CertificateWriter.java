package dev.ems.pki.issuance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores issued certificates and their events in group commits: concurrent issuances are collected
 * into one transaction (one WAL flush with synchronous_commit on) while each caller waits for its
 * own row to be durable. A failing batch is retried row by row, so one bad row (e.g. a concurrent
 * duplicate enrollment) fails only its own caller.
 */
@Component
class CertificateWriter implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(CertificateWriter.class);
  private static final int MAX_BATCH = 500;

  private final Certificates certificates;
  private final CertificateEvents events;
  private final TransactionTemplate tx;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(10_000);
  private final Thread worker;
  private volatile boolean running = true;

  CertificateWriter(Certificates certificates, CertificateEvents events, TransactionTemplate tx) {
    this.certificates = certificates;
    this.events = events;
    this.tx = tx;
    this.worker = Thread.ofPlatform().daemon().name("pki-certificate-writer").start(this::loop);
  }

  /** Stores the certificate durably; false if its end entity is no longer active. */
  boolean store(CertificateRecord record, String enrollmentCsrSha256) {
    var actor =
        PkiAudit.currentActor(record.deviceId() == null ? null : record.deviceId().toString());
    var pending = new Pending(record, enrollmentCsrSha256, actor, new CompletableFuture<>());
    try {
      queue.put(pending);
      return pending.done().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing a certificate", e);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("certificate writer failed", e);
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) {
    try {
      boolean[] stored = tx.execute(status -> insertAll(batch));
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).done().complete(stored[i]);
      }
    } catch (RuntimeException batchFailed) {
      for (Pending p : batch) {
        try {
          p.done().complete(tx.execute(status -> insert(p)));
        } catch (RuntimeException e) {
          p.done().completeExceptionally(e);
        }
      }
    }
  }

  private boolean[] insertAll(List<Pending> batch) {
    boolean[] stored =
        certificates.insertAll(
            batch.stream().map(Pending::record).toList(),
            batch.stream().map(Pending::csrSha).toList());
    for (int i = 0; i < stored.length; i++) {
      if (stored[i]) {
        events.issued(batch.get(i).record(), batch.get(i).actor());
      }
    }
    return stored;
  }

  private boolean insert(Pending p) {
    boolean inserted = certificates.insert(p.record(), p.csrSha());
    if (inserted) {
      events.issued(p.record(), p.actor());
    }
    return inserted;
  }

  @Override
  public void destroy() throws InterruptedException {
    running = false;
    worker.join(5_000);
  }

  private record Pending(
      CertificateRecord record,
      String csrSha,
      dev.ems.platform.audit.AuditEntry.Actor actor,
      CompletableFuture<Boolean> done) {}
}
