package dev.ems.common.event;

import java.time.Instant;
import java.util.UUID;

/**
 * pki-service, which owns the rotation policy, asks sc-service for a new config-signing key of a
 * tenant (topic {@link Topics#PKI_CONFIG_SIGNING}, record key = tenant): the current certificate
 * reached two thirds of its lifetime, or an ADMIN asked for it. {@code rotationId} makes a
 * redelivered request change nothing. {@code reason}: {@code lifetime} or {@code admin}.
 */
public record ConfigSigningKeyRotationRequested(
    String tenant, UUID rotationId, String reason, Instant requestedAt) {}
