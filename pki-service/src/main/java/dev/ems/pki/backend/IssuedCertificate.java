package dev.ems.pki.backend;

import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate a back end issued, and its chain up to the root (issuing CA first). */
public record IssuedCertificate(X509Certificate certificate, List<X509Certificate> chain) {}
