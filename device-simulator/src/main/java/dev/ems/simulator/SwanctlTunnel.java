package dev.ems.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The management tunnel's state as the device's own IKE daemon has it: {@code swanctl --list-sas
 * --raw} for the {@code ems-mgmt} connection. ESTABLISHED when its IKE SA is ESTABLISHED and a
 * child SA is INSTALLED, DOWN otherwise (also when swanctl cannot reach the daemon) — what a device
 * reports in its heartbeats instead of what its bundle would give it ({@link ManagementTunnel}).
 */
public final class SwanctlTunnel {

  public static final String CONNECTION = "ems-mgmt";
  private final List<String> swanctl;

  /**
   * @param swanctl the command that runs the device's swanctl, with its options to reach the
   *     device's daemon (e.g. {@code ip netns exec dev swanctl --uri unix:///run/dev.vici})
   */
  public SwanctlTunnel(List<String> swanctl) {
    this.swanctl = List.copyOf(swanctl);
  }

  /** ESTABLISHED or DOWN, read now. */
  public String state() {
    List<String> command = new ArrayList<>(swanctl);
    command.addAll(List.of("--list-sas", "--raw", "--ike", CONNECTION));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return "DOWN";
      }
      return parse(out, CONNECTION);
    } catch (IOException e) {
      return "DOWN";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "DOWN";
    }
  }

  /** The state of {@code connection} in {@code swanctl --list-sas --raw} output. */
  static String parse(String raw, String connection) {
    String prefix = "list-sa event {" + connection + " {";
    for (String line : raw.split("\n")) {
      if (!line.startsWith(prefix)) {
        continue;
      }
      int children = line.indexOf("child-sas {");
      String ike = children < 0 ? line : line.substring(0, children);
      if (ike.contains(" state=ESTABLISHED ")
          && children >= 0
          && line.substring(children).contains(" state=INSTALLED ")) {
        return "ESTABLISHED";
      }
    }
    return "DOWN";
  }
}
