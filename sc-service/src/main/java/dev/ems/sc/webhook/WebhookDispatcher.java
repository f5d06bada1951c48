package dev.ems.sc.webhook;

import dev.ems.sc.secrets.Secrets;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the due deliveries every poll interval, each on a virtual thread of its own, at most {@code
 * batch-size} at once: a slow target holds only its own deliveries, never the next poll. Each
 * claimed delivery is the head of its device's queue and stays leased while in flight, so parallel
 * sends keep the order per device.
 */
@Component
class WebhookDispatcher {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final WebhookQueue queue;
  private final WebhookSender sender;
  private final Secrets secrets;
  private final Semaphore inFlight;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  WebhookDispatcher(
      WebhookQueue queue, WebhookSender sender, Secrets secrets, WebhookProperties properties) {
    this.queue = queue;
    this.sender = sender;
    this.secrets = secrets;
    this.inFlight = new Semaphore(properties.batchSize());
  }

  @Scheduled(
      fixedDelayString = "${sc.webhooks.poll-interval}",
      initialDelayString = "${sc.webhooks.poll-interval}")
  public void poll() {
    int free = inFlight.drainPermits();
    try {
      for (WebhookQueue.Claimed delivery :
          free == 0 ? java.util.List.<WebhookQueue.Claimed>of() : queue.claim(free)) {
        free--;
        threads.execute(
            () -> {
              try {
                deliver(delivery);
              } catch (RuntimeException e) {
                // the lease runs out and the delivery is tried again
                log.warn("a webhook delivery could not be recorded", e);
              } finally {
                inFlight.release();
              }
            });
      }
    } finally {
      inFlight.release(free);
    }
  }

  private void deliver(WebhookQueue.Claimed delivery) {
    String secret = secrets.openText(delivery.tenant(), delivery.sealedSecret());
    WebhookSender.Outcome outcome =
        sender.send(delivery.url(), secret, delivery.messageId(), delivery.body());
    if (outcome.delivered()) {
      queue.delivered(delivery, outcome.statusCode());
    } else {
      queue.failed(delivery, outcome.statusCode(), outcome.error());
    }
  }

  @PreDestroy
  void stop() {
    threads.shutdownNow();
  }
}
