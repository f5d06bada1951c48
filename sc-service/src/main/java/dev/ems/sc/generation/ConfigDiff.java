package dev.ems.sc.generation;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.ems.common.event.ConfigFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Unified diff between two configuration bundles, file by file in path order. */
final class ConfigDiff {

  private ConfigDiff() {}

  static String unified(
      int fromVersion, List<ConfigFile> from, int toVersion, List<ConfigFile> to) {
    Map<String, String> a = byPath(from);
    Map<String, String> b = byPath(to);
    TreeSet<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    for (String path : paths) {
      List<String> before = lines(a.get(path));
      List<String> after = lines(b.get(path));
      var patch = DiffUtils.diff(before, after);
      if (patch.getDeltas().isEmpty()) {
        continue;
      }
      String fromName = a.containsKey(path) ? "v" + fromVersion + path : "/dev/null";
      String toName = b.containsKey(path) ? "v" + toVersion + path : "/dev/null";
      out.addAll(UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, before, patch, 3));
    }
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }

  private static Map<String, String> byPath(List<ConfigFile> files) {
    Map<String, String> map = new TreeMap<>();
    files.forEach(f -> map.put(f.path(), f.content()));
    return map;
  }

  private static List<String> lines(String content) {
    return content == null ? List.of() : List.of(content.split("\n", -1));
  }
}
