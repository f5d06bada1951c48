package dev.ems.sc.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.common.event.ConfigFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTests {

  @Test
  void showsChangedAddedAndRemovedFilesAsUnifiedDiff() {
    var v1 =
        List.of(
            new ConfigFile("/etc/a", "one\ntwo\nthree\n"), new ConfigFile("/etc/gone", "bye\n"));
    var v2 =
        List.of(new ConfigFile("/etc/a", "one\nTWO\nthree\n"), new ConfigFile("/etc/new", "hi\n"));

    String diff = ConfigDiff.unified(1, v1, 2, v2);

    assertThat(diff)
        .contains("--- v1/etc/a\n+++ v2/etc/a\n@@ -1,4 +1,4 @@\n one\n-two\n+TWO\n three\n")
        .contains("--- v1/etc/gone\n+++ /dev/null\n")
        .contains("-bye")
        .contains("--- /dev/null\n+++ v2/etc/new\n")
        .contains("+hi");
    assertThat(diff.indexOf("/etc/a")).isLessThan(diff.indexOf("/etc/gone"));
  }

  @Test
  void identicalBundlesHaveAnEmptyDiff() {
    var files = List.of(new ConfigFile("/etc/a", "x\n"));

    assertThat(ConfigDiff.unified(1, files, 2, files)).isEmpty();
  }
}
