package dev.ems.device.identity;

import dev.ems.device.identity.Credentials.Credential;

/**
 * Told when a device authenticates with a certificate while an older certificate of it is still
 * valid: a renewed certificate in use for the first time (issue 18), after which the older ones are
 * superseded. Called on the request path: it must not block.
 */
public interface CertificateUse {

  void firstUse(Credential credential, String fingerprint);
}
