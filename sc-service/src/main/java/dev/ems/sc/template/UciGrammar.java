package dev.ems.sc.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenWrt's UCI file grammar as libuci reads a file ({@code uci import}, file.c): a line holds
 * commands separated by {@code ;}; a command is {@code package <name>}, {@code config <type>
 * [<name>]}, {@code option <name> <value>} or {@code list <name> <value>} (or their first letters);
 * {@code #} starts a comment; an argument is shell-like — single quotes (no escapes), double quotes
 * and bare text (a backslash keeps the next character, and at the end of a line joins the next
 * one), pieces side by side make one argument ({@code 'it'\''s'}), and a quoted value may run over
 * several lines. Names are letters, digits and {@code _}; extra arguments are an error (libuci's
 * default strict mode). Plain Java, no Spring.
 */
public final class UciGrammar {

  /** A section: type, name (null when anonymous), options in order. */
  public record Section(String type, String name, int line, Map<String, Option> options) {}

  /** An option ({@code list}: every value given; {@code option}: the last one). */
  public record Option(String name, boolean list, List<String> values) {}

  /** A file that does not parse: the line and libuci's reason. */
  public static final class SyntaxError extends IllegalArgumentException {
    private final int line;

    SyntaxError(int line, String reason) {
      super("line " + line + ": " + reason);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  private final String text;
  private int pos;
  private int end;
  private int next;
  private int line;
  private final List<Section> sections = new ArrayList<>();

  private UciGrammar(String text) {
    this.text = text;
  }

  /** The file's sections, or a {@link SyntaxError}. */
  public static List<Section> parse(String text) {
    UciGrammar grammar = new UciGrammar(text);
    grammar.parseAll();
    return grammar.sections;
  }

  private void parseAll() {
    pos = 0;
    while (pos < text.length()) {
      line++;
      end = lineEnd(pos);
      next = end;
      parseLine();
      pos = next;
    }
  }

  private int lineEnd(int from) {
    int nl = text.indexOf('\n', from);
    return nl < 0 ? text.length() : nl + 1;
  }

  private char cur() {
    return pos < end ? text.charAt(pos) : 0;
  }

  /** The next line joins the current one (a quoted value or a backslash runs on). */
  private boolean nextLine() {
    if (next >= text.length()) {
      return false;
    }
    end = lineEnd(next);
    next = end;
    line++;
    return true;
  }

  private void parseLine() {
    while (true) {
      skipWhitespace();
      if (cur() == 0 || cur() == '#') {
        return;
      }
      int start = pos;
      while (cur() != 0 && cur() != ' ' && cur() != '\t' && cur() != '\n' && cur() != '\r') {
        pos++;
      }
      String word = text.substring(start, pos);
      switch (word) {
        case "p", "package" -> {
          requireName(argument(true), true);
          endOfCommand();
        }
        case "c", "config" -> config();
        case "o", "option" -> option(false);
        case "l", "list" -> option(true);
        default -> throw new SyntaxError(line, "invalid command '" + word + "'");
      }
    }
  }

  private void config() {
    String type = argument(true);
    if (!valid(type, false, false)) {
      throw new SyntaxError(line, "invalid character in type field");
    }
    String name = argument(false);
    if (!name.isEmpty()) {
      requireName(name, false);
    }
    endOfCommand();
    sections.add(new Section(type, name.isEmpty() ? null : name, line, new LinkedHashMap<>()));
  }

  private void option(boolean list) {
    if (sections.isEmpty()) {
      throw new SyntaxError(line, "option/list command found before the first section");
    }
    String name = requireName(argument(true), false);
    String value = argument(false);
    endOfCommand();
    Map<String, Option> options = sections.getLast().options();
    Option before = options.get(name);
    List<String> values = new ArrayList<>();
    if (list && before != null && before.list()) {
      values.addAll(before.values());
    }
    values.add(value);
    options.put(name, new Option(name, list, List.copyOf(values)));
  }

  private String requireName(String name, boolean packageName) {
    if (!valid(name, true, packageName)) {
      throw new SyntaxError(line, "invalid character in name field: '" + name + "'");
    }
    return name;
  }

  /** libuci's assert_eol in strict mode: nothing but a command separator or the line's end. */
  private void endOfCommand() {
    skipWhitespace();
    if (cur() == ';') {
      pos++;
      return;
    }
    if (!argument(false).isEmpty()) {
      throw new SyntaxError(line, "too many arguments");
    }
  }

  private void skipWhitespace() {
    while (cur() != 0 && isSpace(cur())) {
      pos++;
    }
  }

  /** One argument (libuci's next_arg and parse_str); empty at a line's end or a {@code ;}. */
  private String argument(boolean required) {
    skipWhitespace();
    StringBuilder value = new StringBuilder();
    if (cur() != ';') {
      boolean any = false;
      while (cur() != 0 && !isSpace(cur())) {
        char c = cur();
        if (c == '\'') {
          singleQuoted(value);
        } else if (c == '"') {
          doubleQuoted(value);
        } else if (c == '#') {
          // the rest of the line is a comment
          end = pos;
          break;
        } else if (c == ';') {
          break;
        } else if (c == '\\') {
          backslash(value);
        } else {
          value.append(c);
          pos++;
        }
        any = true;
      }
      if (!any && required) {
        throw new SyntaxError(line, "insufficient arguments");
      }
    }
    if (value.isEmpty() && required) {
      throw new SyntaxError(line, "insufficient arguments");
    }
    return value.toString();
  }

  private void singleQuoted(StringBuilder value) {
    pos++;
    while (true) {
      char c = cur();
      if (c == '\'') {
        pos++;
        return;
      }
      if (c == 0) {
        if (!nextLine()) {
          throw new SyntaxError(line, "EOF with unterminated '");
        }
        continue;
      }
      value.append(c);
      pos++;
    }
  }

  private void doubleQuoted(StringBuilder value) {
    pos++;
    while (true) {
      char c = cur();
      if (c == '"') {
        pos++;
        return;
      }
      if (c == 0) {
        if (!nextLine()) {
          throw new SyntaxError(line, "EOF with unterminated \"");
        }
        continue;
      }
      if (c == '\\') {
        backslash(value);
        continue;
      }
      value.append(c);
      pos++;
    }
  }

  /** A backslash keeps the next character; at the end of a line it joins the next line. */
  private void backslash(StringBuilder value) {
    pos++;
    char c = cur();
    if (c == 0 || c == '\n' || (c == '\r' && pos + 2 == end && text.charAt(pos + 1) == '\n')) {
      pos = end;
      nextLine();
      return;
    }
    value.append(c);
    pos++;
  }

  /** C's isspace in the "C" locale, as libuci tests it. */
  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** libuci's uci_validate_str: names alphanumeric and {@code _}; types any printable. */
  private static boolean valid(String s, boolean name, boolean packageName) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && (Character.isLetterOrDigit(c) || c == '_')) {
        continue;
      }
      if (c == '-' && packageName) {
        continue;
      }
      if (name || c < 33 || c > 126) {
        return false;
      }
    }
    return true;
  }

  /**
   * A value as it stands between single quotes in a UCI file: each {@code '} closes the quote, adds
   * an escaped one and opens it again ({@code '\''}), as {@code uci export} writes it.
   */
  public static String escapeSingleQuoted(String value) {
    return value.replace("'", "'\\''");
  }
}
