package dev.ems.pki.issuance;

import dev.ems.common.error.ErrorCode;
import dev.ems.pki.endentity.EndEntities;
import dev.ems.pki.issuance.CertificateRequests.CertificateResponse;
import dev.ems.pki.issuance.CertificateRequests.IssueRequest;
import dev.ems.pki.issuance.CertificateRequests.IssueResponse;
import dev.ems.pki.issuance.CertificateRequests.KeyStoreRequest;
import dev.ems.pki.issuance.Certificates.CertificateQuery;
import dev.ems.pki.system.Serials;
import dev.ems.platform.security.Caller;
import dev.ems.platform.security.RequiresRole;
import dev.ems.platform.security.Role;
import dev.ems.platform.web.EmsException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CertificateController {

  private final IssuanceService issuance;
  private final KeyStores keyStores;
  private final Certificates certificates;
  private final Clock clock;
  private final EndEntities entities;

  CertificateController(
      IssuanceService issuance,
      KeyStores keyStores,
      Certificates certificates,
      Clock clock,
      EndEntities entities) {
    this.entities = entities;
    this.issuance = issuance;
    this.keyStores = keyStores;
    this.certificates = certificates;
    this.clock = clock;
  }

  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping("/api/v1/end-entities/{name}/certificates")
  ResponseEntity<IssueResponse> issue(
      @PathVariable String name, @Valid @RequestBody IssueRequest request, Caller caller) {
    var issued = issuance.issue(caller.tenant(), name.toLowerCase(), request.csr());
    return ResponseEntity.created(URI.create("/api/v1/certificates/" + issued.record().serial()))
        .body(IssueResponse.of(issued));
  }

  /** Server-side key generation: the only response that ever carries a private key. */
  @RequiresRole(Role.OPERATOR)
  @ApiResponse(responseCode = "201", description = "Created")
  @PostMapping("/api/v1/end-entities/{name}/keystores")
  ResponseEntity<byte[]> keyStore(
      @PathVariable String name, @Valid @RequestBody KeyStoreRequest request, Caller caller) {
    var result =
        keyStores.issue(
            caller.tenant(),
            name.toLowerCase(),
            request.keyAlgorithm(),
            request.password().toCharArray());
    return ResponseEntity.created(URI.create("/api/v1/certificates/" + result.serial()))
        .header("X-Certificate-Serial", result.serial())
        .header("Cache-Control", "no-store")
        .contentType(MediaType.parseMediaType("application/x-pkcs12"))
        .body(result.pkcs12());
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/end-entities/{name}/certificates")
  List<CertificateResponse> ofEntity(@PathVariable String name, Caller caller) {
    if (!entities.exists(caller.tenant(), name.toLowerCase())) {
      throw EmsException.notFound(ErrorCode.END_ENTITY_NOT_FOUND, name);
    }
    return certificates
        .search(
            new CertificateQuery(caller.tenant(), null, name.toLowerCase(), null, null, 0, 500),
            clock.instant())
        .stream()
        .map(CertificateResponse::of)
        .toList();
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/certificates/{serial}")
  CertificateResponse get(@PathVariable String serial, Caller caller) {
    return certificates
        .find(caller.tenant(), Serials.normalize(serial))
        .map(CertificateResponse::of)
        .orElseThrow(() -> EmsException.notFound(ErrorCode.CERTIFICATE_NOT_FOUND, serial));
  }

  @RequiresRole(Role.VIEWER)
  @GetMapping("/api/v1/certificates")
  List<CertificateResponse> search(
      @RequestParam(required = false) String serial,
      @RequestParam(required = false) String entity,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String expiringWithin,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size,
      Caller caller) {
    if (status != null && !List.of("VALID", "REVOKED").contains(status)) {
      throw new EmsException(
          ErrorCode.INVALID_PARAMETER, "status must be VALID or REVOKED", "status");
    }
    Instant now = clock.instant();
    Instant expiringBefore = null;
    if (expiringWithin != null) {
      try {
        // a period of days (P30D) or, for certificates of minutes, a duration (PT10M)
        expiringBefore =
            expiringWithin.contains("T")
                ? now.plus(java.time.Duration.parse(expiringWithin))
                : now.atZone(java.time.ZoneOffset.UTC)
                    .plus(Period.parse(expiringWithin))
                    .toInstant();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new EmsException(
            ErrorCode.INVALID_PARAMETER,
            "expiringWithin must be an ISO-8601 period such as P30D or a duration such as PT10M",
            "expiringWithin");
      }
    }
    var query =
        new CertificateQuery(
            caller.tenant(),
            serial == null ? null : Serials.normalize(serial),
            entity == null ? null : entity.toLowerCase(),
            status,
            expiringBefore,
            page,
            size);
    return certificates.search(query, now).stream().map(CertificateResponse::of).toList();
  }
}
