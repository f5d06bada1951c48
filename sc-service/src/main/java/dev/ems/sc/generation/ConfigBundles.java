package dev.ems.sc.generation;

import dev.ems.common.event.ConfigFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical form of a configuration bundle: files sorted by path, each hashed as its path, a
 * NUL, its content and a NUL. Two bundles with the same files have the same sha256 whatever order
 * they were rendered in; that sha256 is the version's identity and the device's ETag.
 */
final class ConfigBundles {

  private ConfigBundles() {}

  static List<ConfigFile> canonical(List<ConfigFile> files) {
    return files.stream().sorted(Comparator.comparing(ConfigFile::path)).toList();
  }

  static String sha256(List<ConfigFile> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (ConfigFile file : canonical(files)) {
        digest.update(file.path().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(file.content().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
