package dev.ems.common.event;

import java.time.Instant;

/**
 * pki-service certified a tenant's config-signing key (topic {@link Topics#PKI_CONFIG_SIGNING},
 * record key = tenant). {@code chainPem} is the signing certificate first, then its issuing CA and
 * the root. sc-service signs with the key once this arrives; device-api serves every unexpired
 * chain of the tenant so that bundles signed by an older key still verify after a rotation.
 */
public record ConfigSigningCertificateIssued(
    String tenant,
    String keyId,
    String serialNumber,
    String chainPem,
    Instant notBefore,
    Instant notAfter) {}
