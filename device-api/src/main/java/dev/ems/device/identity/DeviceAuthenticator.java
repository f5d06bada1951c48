package dev.ems.device.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ems.common.error.ErrorCode;
import dev.ems.device.inventory.DeviceDirectory;
import dev.ems.device.system.DeviceApiProperties;
import dev.ems.platform.tenant.Tenants;
import dev.ems.platform.web.EmsException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Names the device behind a request by its client certificate: from the TLS session when device-api
 * terminates TLS itself, or from the header a trusted TLS-terminating proxy (nginx) forwards — and
 * that header only from the configured proxy addresses. The certificate must be one EMS issued, not
 * revoked, for a device the inventory knows in the certificate's own tenant, and that device
 * active. Everything here is in memory.
 */
@Component
public class DeviceAuthenticator {

  /** Compiled once: the forwarded certificate is decoded on every device request. */
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  /** Bound of the fingerprint cache; past it Caffeine evicts the least used. */
  private static final int MAX_CACHED_FINGERPRINTS = 200_000;

  /**
   * Client certificate → its fingerprint, keyed by the forwarded header's text or by the TLS
   * session's certificate (the two key types never compare equal). A device sends the same
   * certificate on every request, and decoding the header (URL decoding, PEM, base64, SHA-256) was
   * a sixth of the config fetch's CPU. The mapping is a pure function of the key, so a cached
   * answer is never stale; whether the certificate is still good is checked on every request below.
   */
  private final Cache<Object, String> fingerprints =
      Caffeine.newBuilder().maximumSize(MAX_CACHED_FINGERPRINTS).recordStats().build();

  private final Credentials credentials;
  private final org.springframework.beans.factory.ObjectProvider<CertificateUse> uses;
  private final DeviceDirectory directory;
  private final Tenants tenants;

  /** Compared as addresses, not as text: {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one proxy. */
  private final Set<InetAddress> trustedProxies;

  private final String certHeader;

  DeviceAuthenticator(
      Credentials credentials,
      org.springframework.beans.factory.ObjectProvider<CertificateUse> uses,
      DeviceDirectory directory,
      Tenants tenants,
      DeviceApiProperties properties,
      MeterRegistry meters) {
    this.uses = uses;
    CaffeineCacheMetrics.monitor(meters, fingerprints, "device.fingerprints");
    this.credentials = credentials;
    this.directory = directory;
    this.tenants = tenants;
    this.trustedProxies = trustedAddresses(properties.trustedProxies());
    this.certHeader = properties.clientCertHeader();
  }

  public DeviceIdentity authenticate(ServerRequest request) {
    return authenticate(
        sessionCertificate(request),
        request.headers().firstHeader(certHeader),
        request.remoteAddress().orElse(null));
  }

  /**
   * Names the device from the TLS session's client certificate, else from the forwarded header
   * (only from a trusted proxy); throws the problem that refuses the request otherwise.
   *
   * @param tlsCertificate the client certificate of the TLS session, null without TLS or without a
   *     client certificate
   */
  public DeviceIdentity authenticate(
      X509Certificate tlsCertificate, String forwardedHeader, InetSocketAddress remoteAddress) {
    String fingerprint = fingerprint(tlsCertificate, forwardedHeader, remoteAddress);
    Credentials.Credential credential =
        credentials
            .find(fingerprint)
            .orElseThrow(
                () ->
                    new EmsException(
                        ErrorCode.UNAUTHENTICATED, "The client certificate is not an EMS device"));
    if (credential.revoked()) {
      throw new EmsException(ErrorCode.CERTIFICATE_REVOKED, "The device certificate is revoked");
    }
    if (credential.notAfter().isBefore(Instant.now())) {
      throw new EmsException(
          ErrorCode.CERTIFICATE_EXPIRED,
          "The device certificate has expired; enroll again with a new bootstrap token");
    }
    // a certificate PKI issued in another tenant's name, or for no device of the inventory, names
    // no device; the same answer as an unknown certificate, so it tells nothing about the device
    if (!credential.tenant().equals(directory.tenantOf(credential.deviceId()))) {
      throw unauthenticated("The client certificate is not an EMS device");
    }
    if (!directory.isActive(credential.deviceId())) {
      throw new EmsException(ErrorCode.DEVICE_DECOMMISSIONED, "The device is decommissioned");
    }
    if (!tenants.isActive(credential.tenant())) {
      throw new EmsException(ErrorCode.FORBIDDEN, "The device's tenant is suspended");
    }
    if (credentials.supersedesAnother(credential, fingerprint, Instant.now())) {
      // a renewed certificate at work: the one it renewed is superseded now (issue 18)
      uses.ifAvailable(use -> use.firstUse(credential, fingerprint));
    }
    return new DeviceIdentity(credential.deviceId(), credential.tenant(), fingerprint);
  }

  /**
   * The PEM of the client certificate that {@link #authenticate(ServerRequest)} named the device
   * by: the TLS session's, else the forwarded one. Call it only after authenticating the request.
   */
  public String certificatePem(ServerRequest request) {
    X509Certificate session = sessionCertificate(request);
    byte[] der;
    if (session != null) {
      try {
        der = session.getEncoded();
      } catch (java.security.cert.CertificateEncodingException e) {
        throw unauthenticated("The client certificate cannot be read");
      }
    } else {
      der = der(request.headers().firstHeader(certHeader));
    }
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }

  /** Whether the request carries a client certificate at all (TLS session or forwarded header). */
  public boolean presentsCertificate(ServerRequest request) {
    if (sessionCertificate(request) != null) {
      return true;
    }
    String forwarded = request.headers().firstHeader(certHeader);
    return forwarded != null && !forwarded.isBlank();
  }

  private static X509Certificate sessionCertificate(ServerRequest request) {
    SslInfo ssl = request.exchange().getRequest().getSslInfo();
    X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
    return chain == null || chain.length == 0 ? null : chain[0];
  }

  /** The header carrying a trusted proxy's forwarded client certificate. */
  public String certHeader() {
    return certHeader;
  }

  private String fingerprint(
      X509Certificate cert, String forwarded, InetSocketAddress remoteAddress) {
    if (cert != null) {
      String known = fingerprints.getIfPresent(cert);
      if (known != null) {
        return known;
      }
      try {
        return remember(cert, sha256(cert.getEncoded()));
      } catch (java.security.cert.CertificateEncodingException e) {
        throw unauthenticated("The client certificate cannot be read");
      }
    }
    if (forwarded == null || forwarded.isBlank()) {
      throw unauthenticated("A client certificate is required");
    }
    if (!fromTrustedProxy(remoteAddress)) {
      throw unauthenticated("Forwarded client certificates are accepted only from trusted proxies");
    }
    String known = fingerprints.getIfPresent(forwarded);
    return known != null ? known : remember(forwarded, sha256(der(forwarded)));
  }

  private String remember(Object key, String fingerprint) {
    fingerprints.put(key, fingerprint);
    return fingerprint;
  }

  private boolean fromTrustedProxy(InetSocketAddress remoteAddress) {
    return remoteAddress != null
        && remoteAddress.getAddress() != null
        && trustedProxies.contains(remoteAddress.getAddress());
  }

  /**
   * The trusted proxies' addresses; blank entries (an empty {@code DEVICE_API_TRUSTED_PROXIES}) are
   * none. IP literals only: a host name would be resolved once, at start, and then go stale.
   */
  static Set<InetAddress> trustedAddresses(List<String> literals) {
    return literals.stream()
        .map(String::strip)
        .filter(literal -> !literal.isEmpty())
        .map(
            literal -> {
              try {
                return InetAddress.ofLiteral(literal);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                    "device-api.trusted-proxies: '" + literal + "' is not an IP address", e);
              }
            })
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The DER of a PEM certificate, URL-encoded (nginx $ssl_client_escaped_cert) or not. */
  static byte[] der(String header) {
    String pem = header.contains("%") ? URLDecoder.decode(header, StandardCharsets.UTF_8) : header;
    String base64 =
        WHITESPACE
            .matcher(
                pem.replace("-----BEGIN CERTIFICATE-----", "")
                    .replace("-----END CERTIFICATE-----", ""))
            .replaceAll("");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw unauthenticated("The forwarded client certificate is not PEM");
    }
  }

  public static String sha256(byte[] der) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static EmsException unauthenticated(String detail) {
    return new EmsException(ErrorCode.UNAUTHENTICATED, detail);
  }
}
