package dev.ems.system;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Test-only auto-configuration (listed in this module's test resources, so only the system tests'
 * JVM has it): every service of the running suite hands each span it ends to this JVM-wide list,
 * with the service's name, so a test can follow one trace across services without an exporter. Boot
 * adds every {@link SpanProcessor} bean to the service's tracer provider; this one works
 * synchronously at span end, so nothing waits for a batch.
 */
@AutoConfiguration
public class SpanCapture {

  /** A finished span and the service that made it. */
  record Finished(String service, SpanData span) {}

  private static final ConcurrentLinkedQueue<Finished> FINISHED = new ConcurrentLinkedQueue<>();

  static List<Finished> ofTrace(String traceId) {
    return FINISHED.stream().filter(f -> f.span().getTraceId().equals(traceId)).toList();
  }

  @Bean
  SpanProcessor emsSpanCapture(Environment environment) {
    String service = environment.getProperty("spring.application.name", "?");
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        FINISHED.add(new Finished(service, span.toSpanData()));
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }
}
