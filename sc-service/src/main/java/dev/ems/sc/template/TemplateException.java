package dev.ems.sc.template;

/** A template set cannot be rendered: where, and why. */
public class TemplateException extends RuntimeException {

  private final String model;
  private final String file;
  private final int line;
  private final String variable;
  private final String reason;

  TemplateException(String model, String file, int line, String variable, String message) {
    super(
        "template set '"
            + model
            + "', file "
            + file
            + (line > 0 ? ", line " + line : "")
            + ": "
            + message);
    this.model = model;
    this.file = file;
    this.line = line;
    this.variable = variable;
    this.reason = message;
  }

  /** What went wrong, without where. */
  public String reason() {
    return reason;
  }

  public String model() {
    return model;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The undefined variable, or null for other errors. */
  public String variable() {
    return variable;
  }
}
