package dev.ems.device.enrollment;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The SCEP registration authority (RFC 8894 2.1.2) that pki-service issued and keeps sealed: its
 * certificate, its CA chain and its RSA key, held in memory for a few minutes (never written to
 * disk or logged). The RA before the current one is kept too, so a device that fetched the old RA
 * certificate just before pki-service renewed it can still be understood.
 */
@Component
class ScepRa {

  private static final Duration FRESH_FOR = Duration.ofMinutes(5);

  /** One RA: its certificate, its key and the CA chain (issuing CA first). */
  record Ra(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

    @Override
    public String toString() {
      return "Ra[" + certificate.getSubjectX500Principal() + "]";
    }
  }

  private record Fetched(Ra current, Ra previous, long at) {}

  private final PkiClient pki;
  private final AtomicReference<Fetched> fetched = new AtomicReference<>();

  ScepRa(PkiClient pki) {
    this.pki = pki;
  }

  Mono<Ra> current() {
    return known().map(List::getFirst);
  }

  /** The current RA first, then the one before it (if this replica saw one). */
  Mono<List<Ra>> known() {
    Fetched last = fetched.get();
    if (last != null && System.nanoTime() - last.at() < FRESH_FOR.toNanos()) {
      return Mono.just(list(last));
    }
    return pki.scepRa()
        .map(
            body ->
                new Ra(
                    CertsOnly.certificates(body.get("certificatePem").asString()).getFirst(),
                    key(body.get("privateKeyPem").asString()),
                    CertsOnly.certificates(body.get("chainPem").asString())))
        .map(
            ra -> {
              Ra previous =
                  last == null || last.current().certificate().equals(ra.certificate())
                      ? last == null ? null : last.previous()
                      : last.current();
              Fetched now = new Fetched(ra, previous, System.nanoTime());
              fetched.set(now);
              return list(now);
            })
        .onErrorResume(
            PkiClient.PkiUnavailable.class,
            e -> last != null ? Mono.just(list(last)) : Mono.error(e));
  }

  private static List<Ra> list(Fetched f) {
    List<Ra> all = new ArrayList<>(2);
    all.add(f.current());
    if (f.previous() != null) {
      all.add(f.previous());
    }
    return all;
  }

  private static PrivateKey key(String pem) {
    try {
      byte[] pkcs8 =
          Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (Exception e) {
      // no key material in the message
      throw new IllegalStateException("pki-service sent an unreadable SCEP RA key");
    }
  }
}
