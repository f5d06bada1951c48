package dev.ems.diagnostic;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The one context every IT shares (real PostgreSQL and Kafka): the test clock and fast sweeps, so
 * offline detection and timeouts are tested by moving the clock instead of waiting.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = DiagnosticIntegrationTest.SWEEP)
@AutoConfigureMockMvc
@Import(TestClock.Config.class)
public @interface DiagnosticIntegrationTest {
  String SWEEP = "diag.sweep-interval=200ms";
}
