package dev.ems.sc.template;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The render's time budget is the rendering thread's CPU time, with a wall-clock backstop. */
class RenderSandboxTests {

  private static final long MS = 1_000_000;
  private final AtomicLong wall = new AtomicLong(1_000 * MS);
  private final AtomicLong cpu = new AtomicLong(5 * MS);
  private final TemplateSet set = new TemplateSet("cpe-x", new TreeMap<>(Map.of()), 1);
  private RenderSandbox sandbox;

  private void open(long budgetMillis) {
    sandbox =
        RenderSandbox.open(
            set, new TemplateEngine.Limits(1_000, 1_000_000, budgetMillis), wall::get, cpu::get);
  }

  @AfterEach
  void close() {
    sandbox.close();
  }

  @Test
  void aRenderThatWaitedForACoreIsNotARunaway() {
    open(2_000);
    // the thread waited 5 s for a core but ran 100 ms: within the budget
    wall.addAndGet(5_000 * MS);
    cpu.addAndGet(100 * MS);
    assertThatCode(() -> RenderSandbox.step(1)).doesNotThrowAnyException();
  }

  @Test
  void aRenderThatRanLongerThanItsBudgetOnTheCpuFails() {
    open(2_000);
    wall.addAndGet(2_500 * MS);
    cpu.addAndGet(2_100 * MS);
    assertThatThrownBy(() -> RenderSandbox.step(7))
        .isInstanceOf(RenderSandbox.LimitExceeded.class)
        .hasMessageContaining("took longer than 2000 ms of CPU time");
    // and every later step unwinds with it
    assertThatThrownBy(() -> RenderSandbox.iteration(8))
        .isInstanceOf(RenderSandbox.LimitExceeded.class);
  }

  @Test
  void tenBudgetsOfWallTimeEndARenderWhateverItWaitsFor() {
    open(2_000);
    wall.addAndGet(19_000 * MS);
    assertThatCode(() -> RenderSandbox.step(1)).doesNotThrowAnyException();
    wall.addAndGet(1_001 * MS);
    assertThatThrownBy(() -> RenderSandbox.step(2)).isInstanceOf(RenderSandbox.LimitExceeded.class);
  }
}
