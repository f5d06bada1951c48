package dev.ems.pki.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Period;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of pki-service ({@code pki.*}).
 *
 * @param backend which CA issues certificates: the embedded BouncyCastle CA or EJBCA
 * @param keyEncryptionKey base64 AES-256 key that encrypts CA private keys at rest ({@code
 *     EMS_PKI_KEY_ENCRYPTION_KEY}, no default)
 * @param internalApiKey shared key of EMS services calling {@code /internal/v1/**} ({@code
 *     EMS_INTERNAL_API_KEY}, no default; the values once published as defaults are refused)
 * @param publicUrl base URL relying parties reach this service at (CRL distribution point, OCSP)
 * @param profiles certificate profiles by name
 * @param expiryFraction a valid certificate is announced as expiring once it is inside this last
 *     fraction of its lifetime (0.1: its last tenth) and not renewed (issue 18)
 */
@Validated
@ConfigurationProperties("pki")
public record PkiProperties(
    @NotNull Backend backend,
    @NotBlank(message = "EMS_PKI_KEY_ENCRYPTION_KEY is not set (pki.key-encryption-key)")
        String keyEncryptionKey,
    @NotBlank(message = "EMS_INTERNAL_API_KEY is not set (pki.internal-api-key)")
        @Size(min = 16, message = "EMS_INTERNAL_API_KEY must have at least 16 characters")
        String internalApiKey,
    @NotBlank String publicUrl,
    @Valid @NotNull Ca ca,
    @NotEmpty Map<String, @Valid Profile> profiles,
    @NotNull Duration crlInterval,
    @jakarta.validation.constraints.DecimalMin("0.001")
        @jakarta.validation.constraints.DecimalMax("0.999")
        double expiryFraction,
    @NotNull Duration expiryCheckInterval,
    @Valid Ejbca ejbca) {

  /** Internal keys that were published as defaults, in the source and in docker-compose.yml. */
  static final Set<String> PUBLIC_INTERNAL_KEYS =
      Set.of("dev-internal-api-key-change-me", "change-me-internal-api-key");

  public PkiProperties {
    if (internalApiKey != null && PUBLIC_INTERNAL_KEYS.contains(internalApiKey.strip())) {
      throw new IllegalArgumentException(
          "EMS_INTERNAL_API_KEY (pki.internal-api-key) is a public example value: set a random"
              + " secret, e.g. openssl rand -hex 32");
    }
  }

  /** The CA back end. */
  public enum Backend {
    EMBEDDED,
    EJBCA
  }

  /** The embedded CA hierarchy created on first start. */
  public record Ca(
      @NotNull KeyAlgorithm algorithm,
      @NotBlank String rootDn,
      @NotBlank String issuingDn,
      @NotNull Period rootValidity,
      @NotNull Period issuingValidity) {}

  /**
   * A certificate profile: how long its certificates live (ISO-8601, e.g. {@code P365D}, or {@code
   * PT10M} for tests of renewal).
   */
  public record Profile(@NotNull Duration validity) {}

  /**
   * EJBCA REST API v1 with client-certificate authentication.
   *
   * @param caName the EJBCA CA that issues for tenants without an entry in {@code tenantCaNames}
   * @param tenantCaNames tenant id → the EJBCA CA that issues that tenant's certificates (issue 19:
   *     a CA per tenant, made in EJBCA by its admin; pki-service does not create CAs there)
   */
  public record Ejbca(
      String baseUrl,
      String keyStore,
      String keyStorePassword,
      String trustStore,
      String trustStorePassword,
      String caName,
      Map<String, String> tenantCaNames,
      String certificateProfile,
      String endEntityProfile,
      Duration timeout) {

    public Ejbca {
      tenantCaNames = tenantCaNames == null ? Map.of() : Map.copyOf(tenantCaNames);
    }

    /** The EJBCA CA that issues this tenant's certificates. */
    public String caNameOf(String tenant) {
      return tenantCaNames.getOrDefault(tenant, caName);
    }
  }
}
