package dev.ems.pki.headend;

import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The management tunnel headend of the caller's tenant: an ADMIN takes its rendered swanctl bundle
 * (configuration, a new headend certificate and key, the CA certificates) to install under {@code
 * /etc/swanctl} of the {@code ipsec-gateway}. The key is in the answer only: never stored.
 */
@RestController
class HeadendController {

  private static final String IPV4 =
      "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

  private final HeadendBundles bundles;

  HeadendController(HeadendBundles bundles) {
    this.bundles = bundles;
  }

  /**
   * @param pool the tenant's virtual IP pool, an IPv4 CIDR (e.g. 10.255.64.0/18)
   * @param innerAddress the headend's address inside the tunnel (in the devices' management subnet,
   *     10.255.0.0/16 unless the template set says otherwise)
   * @param revocationUrl where the headend reaches pki-service for OCSP and the CRL (default:
   *     {@code EMS_PKI_PUBLIC_URL}); in compose, {@code http://pki-service:8084}
   */
  record HeadendBundleRequest(
      @NotBlank
          @Pattern(
              regexp = IPV4 + "/(1[6-9]|2[0-9]|30)",
              message = "must be an IPv4 CIDR, /16../30")
          String pool,
      @NotBlank @Pattern(regexp = IPV4, message = "must be an IPv4 address") String innerAddress,
      @Size(max = 200)
          @Pattern(
              regexp = "https?://[A-Za-z0-9.:\\[\\]-]+(/[A-Za-z0-9._~/-]*)?",
              message = "must be an http(s) URL without query")
          String revocationUrl) {}

  @RequiresRole(Role.ADMIN)
  @PostMapping("/api/v1/mgmt-headend/bundles")
  HeadendBundles.Bundle bundle(@Valid @RequestBody HeadendBundleRequest request, Caller caller) {
    return bundles.make(
        caller.tenant(), request.pool(), request.innerAddress(), request.revocationUrl());
  }
}
