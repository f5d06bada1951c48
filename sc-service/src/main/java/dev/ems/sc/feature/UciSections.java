package dev.ems.sc.feature;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Merges UCI sections into a UCI file: a named section ({@code config interface 'wan'}) replaces
 * the file's section of the same type and name where it stands, any other section is appended. A
 * section is its {@code config} line and every line up to the next one; what precedes the first
 * (comments) stays at the top. The result is a function of its inputs alone (same inputs, same
 * bytes).
 */
public final class UciSections {

  private static final Pattern CONFIG =
      Pattern.compile("^config\\s+(['\"]?)([^'\"\\s]+)\\1(?:\\s+(['\"]?)([^'\"\\s]+)\\3)?\\s*$");

  /** One section: its type, its name (null when anonymous) and its text without trailing blanks. */
  public record Section(String type, String name, String text) {}

  private UciSections() {}

  /**
   * The file's sections with the fragment's sections merged in; throws {@link
   * IllegalArgumentException} when the fragment has text other than comments before its first
   * section, which would otherwise be lost.
   */
  public static String merge(String base, String fragment) {
    Parsed file = parse(base);
    Parsed added = parse(fragment);
    String[] header = added.header().split("\n");
    for (int i = 0; i < header.length; i++) {
      String line = header[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        throw new IllegalArgumentException(
            "line " + (i + 1) + ": text before the first 'config' line of UCI sections");
      }
    }
    List<Section> sections = new ArrayList<>(file.sections());
    for (Section section : added.sections()) {
      mergeOne(sections, section);
    }
    return write(file.header(), sections);
  }

  private static void mergeOne(List<Section> sections, Section added) {
    int at = added.name() == null ? -1 : indexOf(sections, added.type(), added.name());
    if (at >= 0) {
      sections.set(at, added);
    } else {
      sections.add(added);
    }
  }

  private static String write(String header, List<Section> sections) {
    StringBuilder out = new StringBuilder();
    if (!header.isBlank()) {
      out.append(header.stripTrailing()).append("\n\n");
    }
    for (int i = 0; i < sections.size(); i++) {
      out.append(i == 0 ? "" : "\n").append(sections.get(i).text()).append('\n');
    }
    return out.toString();
  }

  /** The sections of a UCI text; lines before the first {@code config} line are its header. */
  public static Parsed parse(String text) {
    StringBuilder header = new StringBuilder();
    List<Section> sections = new ArrayList<>();
    String type = null;
    String name = null;
    StringBuilder current = null;
    for (String line : text.split("\n", -1)) {
      Matcher m = CONFIG.matcher(line.stripTrailing());
      if (m.matches()) {
        if (current != null) {
          sections.add(new Section(type, name, current.toString().stripTrailing()));
        }
        type = m.group(2);
        name = m.group(4);
        current = new StringBuilder(line.stripTrailing());
      } else if (current != null) {
        current.append('\n').append(line.stripTrailing());
      } else {
        header.append(line).append('\n');
      }
    }
    if (current != null) {
      sections.add(new Section(type, name, current.toString().stripTrailing()));
    }
    return new Parsed(header.toString(), sections);
  }

  /** A parsed UCI text. */
  public record Parsed(String header, List<Section> sections) {}

  private static int indexOf(List<Section> sections, String type, String name) {
    for (int i = 0; i < sections.size(); i++) {
      if (sections.get(i).type().equals(type) && name.equals(sections.get(i).name())) {
        return i;
      }
    }
    return -1;
  }
}
