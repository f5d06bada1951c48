package dev.ems.device.enrollment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The CA chains that EST {@code cacerts} and SCEP {@code GetCACert} hand out, from pki-service,
 * kept in memory for a few minutes: every device asks for one before enrolling, and they change
 * only with the CAs. A device not yet known gets the chain that names no tenant (the shared issuing
 * CA and EMS's root); a device that authenticates gets its own tenant's (its tenant's issuing CA,
 * issue 19, and the root), which its certificates chain through.
 */
@Component
class CaCertificates {

  private static final Duration FRESH_FOR = Duration.ofMinutes(5);
  private static final String NO_TENANT = "";

  private record Fetched(String pem, long at) {}

  private final PkiClient pki;
  private final Cache<String, Fetched> chains = Caffeine.newBuilder().maximumSize(10_000).build();
  private final Cache<String, Optional<String>> byId =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(FRESH_FOR).build();

  CaCertificates(PkiClient pki) {
    this.pki = pki;
  }

  /** The chain for a device not yet known, as PEM, issuing CA first. */
  Mono<String> chainPem() {
    return chainPem(null);
  }

  /**
   * The chain of the issuing CA with this id (SCEP GetCACert's {@code message}), as PEM; empty for
   * an id pki-service does not know. Unknown ids are remembered too (bounded), so that asking for
   * random ones does not reach pki-service each time.
   */
  Mono<java.util.Optional<String>> chainPemOfCa(String caId) {
    Optional<String> known = byId.getIfPresent(caId);
    if (known != null) {
      return Mono.just(known);
    }
    return pki.caChainById(caId).doOnNext(chain -> byId.put(caId, chain));
  }

  /** The chain of the tenant's issuing CA (null: the one that names no tenant), as PEM. */
  Mono<String> chainPem(String tenant) {
    String key = tenant == null ? NO_TENANT : tenant;
    Fetched fetched = chains.getIfPresent(key);
    if (fetched != null && System.nanoTime() - fetched.at() < FRESH_FOR.toNanos()) {
      return Mono.just(fetched.pem());
    }
    return pki.caChain(tenant)
        .doOnNext(pem -> chains.put(key, new Fetched(pem, System.nanoTime())))
        .onErrorResume(
            PkiClient.PkiUnavailable.class,
            e -> fetched != null ? Mono.just(fetched.pem()) : Mono.error(e));
  }
}
