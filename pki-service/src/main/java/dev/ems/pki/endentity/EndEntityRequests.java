package dev.ems.pki.endentity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of {@code /api/v1/end-entities}. */
final class EndEntityRequests {

  private EndEntityRequests() {}

  record CreateEndEntityRequest(
      @NotBlank
          @Pattern(
              regexp =
                  "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
              message = "must be a device id (UUID)")
          String name,
      @NotBlank @Size(max = 500) String subjectDn,
      @NotBlank @Size(max = 100) String certificateProfile,
      @Size(max = 20)
          List<
                  @Pattern(
                      regexp =
                          "[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*",
                      message = "must be a DNS name")
                  String>
              dnsNames) {}

  record EndEntityResponse(
      String name,
      String subjectDn,
      String certificateProfile,
      List<String> dnsNames,
      String status,
      Instant createdAt,
      Instant deletedAt,
      String kind) {

    static EndEntityResponse of(EndEntity e) {
      return new EndEntityResponse(
          e.name(),
          e.subjectDn(),
          e.certificateProfile(),
          e.dnsNames(),
          e.status(),
          e.createdAt(),
          e.deletedAt(),
          e.kind());
    }
  }

  record DeletedEndEntityResponse(String name, List<String> revokedSerials) {}
}
