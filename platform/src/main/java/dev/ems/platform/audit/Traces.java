package dev.ems.platform.audit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The current W3C trace id, for audit records; null outside a trace. */
final class Traces {

  private Traces() {}

  static String currentTraceId() {
    SpanContext context = Span.current().getSpanContext();
    return context.isValid() ? context.getTraceId() : null;
  }
}
