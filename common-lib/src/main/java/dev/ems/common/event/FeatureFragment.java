package dev.ems.common.event;

/**
 * One output of a feature for a template set ({@link FeatureDefinitionChanged#fragments()}): a
 * Jinja2 {@code template} whose rendered text goes to {@code path}. With {@link Mode#FILE} the text
 * is the whole file (it replaces a file of the same path the set renders); with {@link
 * Mode#SECTIONS} it is UCI sections merged into the set's file of that path: a named section
 * ({@code config interface 'wan'}) replaces the file's section of the same type and name in place,
 * any other section is appended, in the order of the features' keys and their fragments.
 */
public record FeatureFragment(String name, String path, Mode mode, String template) {

  /** Where a fragment's output goes in its file. */
  public enum Mode {
    FILE,
    SECTIONS
  }
}
