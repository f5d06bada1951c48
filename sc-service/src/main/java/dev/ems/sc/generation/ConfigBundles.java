package dev.ems.sc.generation;

import dev.ems.common.event.ConfigFile;
import dev.ems.common.signing.ConfigSignatures;
import java.util.Comparator;
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
    // the same bytes are what the bundle's signature covers: one definition, in common-lib
    return ConfigSignatures.sha256(files);
  }
}
