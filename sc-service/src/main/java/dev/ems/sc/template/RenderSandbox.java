package dev.ems.sc.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.Charset;
import java.util.function.LongSupplier;

/**
 * What one render of a template set may reach and spend: only the files of its own set, and at most
 * so many loop iterations, steps (rendered nodes, which bounds macro call chains) and milliseconds.
 * The first limit crossed is kept and thrown again at every later step, so the render unwinds even
 * where Jinjava catches an exception and carries on; {@link TemplateEngine} reports it whatever
 * Jinjava made of it.
 *
 * <p>Jinjava renders on the calling thread, and so does its interpreter stack: the render in
 * progress is thread-local as well.
 *
 * <p>The time budget is the rendering thread's CPU time: what a hostile template can take from the
 * machine is CPU, and wall-clock time also counts the time the thread waited for a core. On a
 * loaded machine a built-in template's first render in a cold JVM took more than 2 s of wall time
 * (BuiltInUciGrammarTests, load average 18) and was failed as a runaway. The thread's CPU clock is
 * read only once the wall clock has passed the budget (CPU time never runs ahead of it), so an
 * ordinary render costs no extra system call; ten budgets of wall time bound a render whatever it
 * waits for.
 */
final class RenderSandbox {

  private static final ThreadLocal<RenderSandbox> CURRENT = new ThreadLocal<>();

  /** Resolves includes, imports and extends within the set being rendered, and nowhere else. */
  static final ResourceLocator RESOURCES = RenderSandbox::resource;

  private final TemplateSet set;
  private final TemplateEngine.Limits limits;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final LongSupplier WALL = System::nanoTime;
  private static final LongSupplier CPU = THREADS::getCurrentThreadCpuTime;
  private static final int WALL_BUDGETS = 10;

  private final LongSupplier wall;
  private final LongSupplier cpu;
  private final long budget;
  private final long wallDeadline;
  private final long wallBackstop;
  private final long cpuStart;
  private int steps;
  private int iterations;
  private LimitExceeded exceeded;

  private RenderSandbox(
      TemplateSet set, TemplateEngine.Limits limits, LongSupplier wall, LongSupplier cpu) {
    this.set = set;
    this.limits = limits;
    this.wall = wall;
    this.cpu = cpu;
    this.budget = limits.maxMillis() * 1_000_000;
    long now = wall.getAsLong();
    this.wallDeadline = now + budget;
    this.wallBackstop = now + WALL_BUDGETS * budget;
    this.cpuStart = cpu.getAsLong();
  }

  static RenderSandbox open(TemplateSet set, TemplateEngine.Limits limits) {
    return open(set, limits, WALL, CPU);
  }

  /** With the clocks given: the wall clock and this thread's CPU clock, in nanoseconds. */
  static RenderSandbox open(
      TemplateSet set, TemplateEngine.Limits limits, LongSupplier wall, LongSupplier cpu) {
    RenderSandbox sandbox = new RenderSandbox(set, limits, wall, cpu);
    CURRENT.set(sandbox);
    return sandbox;
  }

  void close() {
    CURRENT.remove();
  }

  /** The limit this render crossed, or null. */
  LimitExceeded exceeded() {
    return exceeded;
  }

  /** Called before each node is rendered. */
  static void step(int line) {
    RenderSandbox sandbox = CURRENT.get();
    if (sandbox != null) {
      sandbox.check(line);
      if (++sandbox.steps > sandbox.limits.maxSteps()) {
        sandbox.exceed(
            line, "the templates took more than " + sandbox.limits.maxSteps() + " steps");
      }
    }
  }

  /** Called before each iteration of a {@code for} loop. */
  static void iteration(int line) {
    RenderSandbox sandbox = CURRENT.get();
    if (sandbox != null) {
      sandbox.check(line);
      if (++sandbox.iterations > sandbox.limits.maxLoopIterations()) {
        sandbox.exceed(
            line,
            "the templates ran more than "
                + sandbox.limits.maxLoopIterations()
                + " loop iterations");
      }
    }
  }

  private void check(int line) {
    if (exceeded != null) {
      throw exceeded;
    }
    long now = wall.getAsLong();
    if (now - wallDeadline > 0 && (cpu.getAsLong() - cpuStart > budget || now - wallBackstop > 0)) {
      exceed(line, "the render took longer than " + limits.maxMillis() + " ms of CPU time");
    }
  }

  private void exceed(int line, String message) {
    exceeded = new LimitExceeded(line, message);
    throw exceeded;
  }

  private static String resource(String name, Charset charset, JinjavaInterpreter interpreter)
      throws ResourceNotFoundException {
    RenderSandbox sandbox = CURRENT.get();
    String template = sandbox == null ? null : sandbox.set.files().get(name);
    if (template == null) {
      throw new ResourceNotFoundException(outside(name, sandbox == null ? null : sandbox.set));
    }
    return template;
  }

  static String outside(String name, TemplateSet set) {
    return "'"
        + name
        + "' is not a file of template set '"
        + (set == null ? "?" : set.model())
        + "'; a template can include, import or extend only files of its own set";
  }

  /** A render crossed one of its limits; where, and which. */
  static final class LimitExceeded extends RuntimeException {
    private final int line;

    LimitExceeded(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    int line() {
      return line;
    }
  }
}
