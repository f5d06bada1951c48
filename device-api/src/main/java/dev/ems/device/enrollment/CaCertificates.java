package dev.ems.device.enrollment;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The CA chain that EST {@code cacerts} and SCEP {@code GetCACert} hand out, from pki-service, kept
 * in memory for a few minutes: every device asks for it before enrolling, and it changes only with
 * the CA.
 */
@Component
class CaCertificates {

  private static final Duration FRESH_FOR = Duration.ofMinutes(5);

  private record Fetched(String pem, long at) {}

  private final PkiClient pki;
  private final AtomicReference<Fetched> current = new AtomicReference<>();

  CaCertificates(PkiClient pki) {
    this.pki = pki;
  }

  /** The chain as PEM, issuing CA first. */
  Mono<String> chainPem() {
    Fetched fetched = current.get();
    if (fetched != null && System.nanoTime() - fetched.at() < FRESH_FOR.toNanos()) {
      return Mono.just(fetched.pem());
    }
    return pki.caChain()
        .doOnNext(pem -> current.set(new Fetched(pem, System.nanoTime())))
        .onErrorResume(
            PkiClient.PkiUnavailable.class,
            e -> fetched != null ? Mono.just(fetched.pem()) : Mono.error(e));
  }
}
