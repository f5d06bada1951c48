package dev.ems.common.event;

import java.time.Instant;

/**
 * sc-service made a config-signing key for a tenant and asks pki-service to certify it (topic
 * {@link Topics#SC_CONFIG_SIGNING}, record key = tenant). {@code keyId} is the RFC 7638 thumbprint
 * of the CSR's public key ({@code dev.ems.common.signing.ConfigSignatures#kid}); {@code csrPem} is
 * a PKCS#10 request signed by that key. The private key never leaves sc-service. Redelivered or
 * repeated requests for the same {@code keyId} get the same certificate.
 */
public record ConfigSigningKeyRequested(
    String tenant, String keyId, String csrPem, Instant requestedAt) {}
