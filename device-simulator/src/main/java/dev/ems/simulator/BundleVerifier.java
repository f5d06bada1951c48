package dev.ems.simulator;

import dev.ems.common.event.ConfigFile;
import dev.ems.common.signing.ConfigSignatures;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * What a device checks before it applies a bundle (issue 14.7): the {@code EMS-Config-Signature}
 * verifies over the bundle's files with a config-signing certificate that chains to the CA bundle
 * the device got at enrollment and is meant for signing code (extendedKeyUsage codeSigning). The
 * chains come from enrollment and from {@code GET /device/v1/config-signing-keys}; a chain that
 * does not lead to the device's CA is ignored, so device-api alone cannot make the device trust a
 * key. Thread-safe.
 */
public final class BundleVerifier {

  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private final List<X509Certificate> anchors = new ArrayList<>();
  private final Map<String, X509Certificate> signers = new ConcurrentHashMap<>();

  /** The CA bundle from enrollment: the roots that signing chains must lead to. */
  public synchronized void trust(String caBundlePem) {
    anchors.addAll(ConfigSignatures.parseChain(caBundlePem));
  }

  /** Takes the chains of {@code [{"keyId","chainPem"},...]} that lead to a trusted root. */
  public void addChains(JsonNode keys) {
    if (keys == null || !keys.isArray()) {
      return;
    }
    for (JsonNode key : keys) {
      JsonNode pem = key.get("chainPem");
      if (pem == null) {
        continue;
      }
      List<X509Certificate> chain;
      try {
        chain = ConfigSignatures.parseChain(pem.asString());
      } catch (IllegalArgumentException malformed) {
        continue;
      }
      if (!chain.isEmpty() && trusted(chain)) {
        X509Certificate leaf = chain.getFirst();
        signers.put(ConfigSignatures.kid(leaf.getPublicKey()), leaf);
      }
    }
  }

  /** Whether a certificate of that key id is known. */
  public boolean knows(String kid) {
    return kid != null && signers.containsKey(kid);
  }

  /** Null when the bundle's signature verifies; else why not, as {@code signature: <reason>}. */
  public String check(JsonNode bundle, String signature) {
    List<ConfigFile> files = new ArrayList<>();
    JsonNode list = bundle.get("files");
    if (list != null) {
      list.forEach(
          f -> files.add(new ConfigFile(f.get("path").asString(), f.get("content").asString())));
    }
    try {
      ConfigSignatures.verify(files, signature, List.copyOf(signers.values()), Instant.now());
      return null;
    } catch (ConfigSignatures.Rejected e) {
      return "signature: " + e.getMessage();
    }
  }

  private synchronized boolean trusted(List<X509Certificate> chain) {
    try {
      List<String> usages = chain.getFirst().getExtendedKeyUsage();
      if (usages == null || !usages.contains(CODE_SIGNING)) {
        return false;
      }
      for (int i = 0; i + 1 < chain.size(); i++) {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
        chain.get(i).checkValidity();
      }
      X509Certificate top = chain.getLast();
      for (X509Certificate anchor : anchors) {
        if (anchor.equals(top)) {
          return true;
        }
        if (anchor.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
          top.verify(anchor.getPublicKey());
          return true;
        }
      }
      return false;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
