package dev.ems.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair — the EMS headend ({@code 10.19.0.1}) and one device
 * ({@code 10.19.0.2}) — plus a link from the headend to this host ({@code 10.19.N.2 → 10.19.N.1}),
 * where the suite's pki-service answers the headend's OCSP and CRL requests; on request a third, a
 * rogue headend joined to the device only ({@link #rogueHeadend()}). Each namespace runs its own
 * charon with its own strongswan.conf, swanctl directory, VICI socket and log under {@code dir}, so
 * nothing touches a strongSwan daemon of the host. Closing stops the daemons and removes the
 * namespaces, the links and the device's hosts file.
 */
final class IpsecLab implements AutoCloseable {

  static final String HEADEND_OUTER = "10.19.0.1";
  static final String DEVICE_OUTER = "10.19.0.2";
  static final String ROGUE_OUTER = "10.19.1.1";
  static final String DEVICE_TO_ROGUE = "10.19.1.2";

  final String headendNs;
  final String deviceNs;
  final String rogueNs;
  final String hostAddress;
  private final String suffix;
  private final Path dir;
  private final List<Process> daemons = new ArrayList<>();

  /** Fails (never skips) where this cannot run: a skipped tunnel test must not pass as a test. */
  static void requireRootAndStrongSwan() throws Exception {
    String user = run(List.of("id", "-u")).trim();
    if (!"0".equals(user)) {
      throw new AssertionError(
          "the management tunnel test needs root (ip netns, veth, charon) and runs as uid "
              + user
              + "; CI runs it as root (.ci/run)");
    }
    for (String tool : List.of("/usr/sbin/charon-systemd", "/usr/sbin/swanctl", "/usr/bin/ping")) {
      if (!Files.isExecutable(Path.of(tool))) {
        throw new AssertionError(
            tool
                + " is missing: apt-get install strongswan-swanctl charon-systemd"
                + " libstrongswan-standard-plugins libcharon-extra-plugins iputils-ping"
                + " (.ci/run installs them)");
      }
    }
  }

  IpsecLab(Path dir) throws Exception {
    this.dir = dir;
    this.suffix = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    this.headendNs = "ems19h-" + suffix;
    this.deviceNs = "ems19d-" + suffix;
    this.rogueNs = "ems19r-" + suffix;
    int net = 4 * ThreadLocalRandom.current().nextInt(1, 60);
    this.hostAddress = "10.19." + net + ".1";
    String headendHost = "10.19." + net + ".2";
    String hd = "e19h" + suffix;
    String dh = "e19d" + suffix;
    String xh = "e19x" + suffix;
    String hx = "e19y" + suffix;
    run(List.of("ip", "netns", "add", headendNs));
    run(List.of("ip", "netns", "add", deviceNs));
    run(List.of("ip", "link", "add", hd, "type", "veth", "peer", "name", dh));
    run(List.of("ip", "link", "set", hd, "netns", headendNs));
    run(List.of("ip", "link", "set", dh, "netns", deviceNs));
    run(List.of("ip", "link", "add", xh, "type", "veth", "peer", "name", hx));
    run(List.of("ip", "link", "set", hx, "netns", headendNs));
    run(List.of("ip", "addr", "add", hostAddress + "/30", "dev", xh));
    run(List.of("ip", "link", "set", xh, "up"));
    ip(headendNs, "addr", "add", HEADEND_OUTER + "/30", "dev", hd);
    ip(headendNs, "addr", "add", headendHost + "/30", "dev", hx);
    ip(deviceNs, "addr", "add", DEVICE_OUTER + "/30", "dev", dh);
    for (String[] link : new String[][] {{headendNs, "lo"}, {headendNs, hd}, {headendNs, hx}}) {
      ip(link[0], "link", "set", link[1], "up");
    }
    ip(deviceNs, "link", "set", "lo", "up");
    ip(deviceNs, "link", "set", dh, "up");
  }

  /**
   * A third namespace, a headend that is not the device's ({@link #ROGUE_OUTER}), joined to the
   * device's namespace only ({@link #DEVICE_TO_ROGUE}): someone who points a device at a headend of
   * their own, e.g. another tenant's admin.
   */
  void rogueHeadend() throws Exception {
    String rd = "e19r" + suffix;
    String dr = "e19s" + suffix;
    run(List.of("ip", "netns", "add", rogueNs));
    run(List.of("ip", "link", "add", rd, "type", "veth", "peer", "name", dr));
    run(List.of("ip", "link", "set", rd, "netns", rogueNs));
    run(List.of("ip", "link", "set", dr, "netns", deviceNs));
    ip(rogueNs, "addr", "add", ROGUE_OUTER + "/30", "dev", rd);
    ip(deviceNs, "addr", "add", DEVICE_TO_ROGUE + "/30", "dev", dr);
    ip(rogueNs, "link", "set", "lo", "up");
    ip(rogueNs, "link", "set", rd, "up");
    ip(deviceNs, "link", "set", dr, "up");
  }

  /** Adds an address to the headend's loopback (its inner address in the tunnel). */
  void headendInnerAddress(String address) throws Exception {
    ip(headendNs, "addr", "add", address + "/32", "dev", "lo");
  }

  /** The device resolves {@code host} (its rendered {@code remote_addrs}) to the headend. */
  void deviceResolves(String host) throws Exception {
    Path hosts = Path.of("/etc/netns", deviceNs, "hosts");
    Files.createDirectories(hosts.getParent());
    Files.writeString(
        hosts, "127.0.0.1 localhost\n" + HEADEND_OUTER + " " + host + "\n", StandardCharsets.UTF_8);
  }

  /** Starts charon in {@code ns} with its home {@code name} under the lab's directory. */
  Path startCharon(String ns, String name) throws Exception {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("swanctl/conf.d"));
    Files.writeString(home.resolve("swanctl/swanctl.conf"), "include conf.d/*.conf\n");
    Files.writeString(
        home.resolve("strongswan.conf"),
        """
        charon {
          load_modular = yes
          plugins {
            include /etc/strongswan.d/charon/*.conf
          }
          # this kernel may lack ESP (CONFIG_INET_ESP): strongSwan's own ESP over a TUN device
          plugins {
            kernel-libipsec { load = yes }
            vici { socket = unix://%1$s/charon.vici }
          }
          filelog {
            lab { path = %1$s/charon.log
              default = 1
              ike = 2
              cfg = 2
              flush_line = yes }
          }
          journal { default = -1 }
        }
        charon-systemd {
          journal { default = -1 }
        }
        swanctl {
          socket = unix://%1$s/charon.vici
        }
        """
            .formatted(home));
    Process charon =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "env",
                "STRONGSWAN_CONF=" + home.resolve("strongswan.conf"),
                "/usr/sbin/charon-systemd")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("charon.out").toFile())
            .start();
    daemons.add(charon);
    Path socket = home.resolve("charon.vici");
    for (int i = 0; i < 300 && !Files.exists(socket); i++) {
      if (!charon.isAlive()) {
        throw new AssertionError("charon in " + ns + " exited: " + read(home, "charon.out"));
      }
      Thread.sleep(100);
    }
    return home;
  }

  /**
   * swanctl of the daemon at {@code home}, run in {@code ns}: the command's first words (its
   * strongswan.conf names the daemon's VICI socket, {@code swanctl.socket}).
   */
  static List<String> swanctl(String ns, Path home) {
    return List.of(
        "ip",
        "netns",
        "exec",
        ns,
        "env",
        "SWANCTL_DIR=" + home.resolve("swanctl"),
        "STRONGSWAN_CONF=" + home.resolve("strongswan.conf"),
        "/usr/sbin/swanctl");
  }

  static String read(Path home, String file) {
    try {
      return Files.readString(home.resolve(file));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  static String ip(String ns, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip", "-n", ns));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command; its output, or an AssertionError with it when it fails. */
  static String run(List<String> command) throws Exception {
    Result r = attempt(command);
    if (r.exit() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " failed (" + r.exit() + "): " + r.out());
    }
    return r.out();
  }

  record Result(int exit, String out) {}

  static Result attempt(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, out + " (timed out)");
    }
    return new Result(p.exitValue(), out);
  }

  @Override
  public void close() throws Exception {
    for (Process daemon : daemons) {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    attempt(List.of("ip", "netns", "del", headendNs));
    attempt(List.of("ip", "netns", "del", deviceNs));
    // a veth goes with the namespace it is in
    attempt(List.of("ip", "netns", "del", rogueNs));
    attempt(List.of("ip", "link", "del", "e19x" + suffix));
    attempt(List.of("rm", "-rf", "/etc/netns/" + deviceNs));
  }
}
