package dev.ems.sc.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * How {@code {{ … }}} is written in a UCI file ({@code /etc/config/*}): as a value between single
 * quotes ({@code option name '{{ value }}'}), so each {@code '} is written {@code '\''} (as {@code
 * uci export} does) and a value cannot close its quote and add options or commands ({@code ;}). A
 * line break cannot stand in a value here: UCI would keep it inside the quotes, but EMS merges
 * feature sections line by line ({@code UciSections}), so the render fails naming the line. A value
 * marked {@code | safe} is the template's own UCI text and is written as it is.
 */
final class UciExpressionStrategy implements ExpressionStrategy {

  private static final long serialVersionUID = 1L;

  @Override
  public RenderedOutputNode interpretOutput(ExpressionToken token, JinjavaInterpreter interpreter) {
    Object resolved = interpreter.resolveELExpression(token.getExpr(), token.getLineNumber());
    String value = interpreter.getAsString(resolved);
    if (resolved instanceof SafeString) {
      // the author's own UCI text, e.g. a macro's lines ({{ option('a', v) | safe }}), whose
      // values were escaped where the macro wrote them
      return new RenderedOutputNode(value);
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new LineBreakInValue(token.getLineNumber());
    }
    return new RenderedOutputNode(UciGrammar.escapeSingleQuoted(value));
  }

  /** A value holding a line break, at a template line. */
  static final class LineBreakInValue extends RuntimeException {
    private final int line;

    LineBreakInValue(int line) {
      super(
          "a value written into a UCI file holds a line break (or NUL); UCI values are one line",
          null,
          false,
          false);
      this.line = line;
    }

    int line() {
      return line;
    }
  }
}
