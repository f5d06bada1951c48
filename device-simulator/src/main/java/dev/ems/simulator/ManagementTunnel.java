package dev.ems.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Whether a simulated device's {@code ems-mgmt} IPsec tunnel comes up, decided by the bundle it
 * runs, as strongSwan on a real device would: only with the management connection file the built-in
 * template set renders ({@value #PATH}) whose {@code remote_addrs} names the headend the device can
 * actually reach. A config that drops the file or points the tunnel elsewhere loses the tunnel; a
 * device that runs no config yet has none.
 */
public final class ManagementTunnel {

  /** Where the built-in OpenWrt template set renders the management connection (swanctl). */
  public static final String PATH = "/etc/swanctl/conf.d/ems-mgmt.conf";

  /**
   * What sc-service renders for {@code ems.endpoint} unless {@code EMS_MGMT_ENDPOINT} is set (the
   * simulator reads the same variable, so both agree by default).
   */
  public static final String DEFAULT_HEADEND = "ems.example.net";

  public static final String ESTABLISHED = "ESTABLISHED";
  public static final String DOWN = "DOWN";

  private static final String CONNECTION = "ems-mgmt";

  private ManagementTunnel() {}

  /**
   * The headend of this run: {@code EMS_MGMT_ENDPOINT} as sc-service reads it, else its default.
   */
  public static String defaultHeadend() {
    String env = System.getenv("EMS_MGMT_ENDPOINT");
    return env == null || env.isBlank() ? DEFAULT_HEADEND : env.trim();
  }

  /**
   * ESTABLISHED when {@code bundle} (null: none) sets up the tunnel to {@code headend}, else DOWN.
   */
  public static String state(JsonNode bundle, String headend) {
    if (bundle == null || bundle.get("files") == null) {
      return DOWN;
    }
    for (JsonNode file : bundle.get("files")) {
      JsonNode path = file.get("path");
      JsonNode content = file.get("content");
      if (path != null && PATH.equals(path.asString()) && content != null) {
        return remoteAddrs(content.asString()).stream().anyMatch(a -> sameHost(a, headend))
            ? ESTABLISHED
            : DOWN;
      }
    }
    return DOWN;
  }

  /**
   * The {@code remote_addrs} of the {@code ems-mgmt} connection in a swanctl.conf text (a
   * comma-separated list); empty when the connection or the setting is missing.
   */
  static List<String> remoteAddrs(String swanctl) {
    List<String> addrs = new ArrayList<>();
    int depth = 0;
    int connectionDepth = -1;
    for (String raw : swanctl.split("\n")) {
      String line = stripComment(raw).trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.endsWith("{")) {
        String section = line.substring(0, line.length() - 1).trim();
        depth++;
        // connections { ems-mgmt { ... } }: the connection sits right inside "connections"
        if (section.equals(CONNECTION) && depth == 2 && connectionDepth < 0) {
          connectionDepth = depth;
        }
        continue;
      }
      if (line.equals("}")) {
        if (depth == connectionDepth) {
          return addrs; // end of the connection
        }
        depth--;
        continue;
      }
      int eq = line.indexOf('=');
      if (depth == connectionDepth
          && eq > 0
          && line.substring(0, eq).trim().equals("remote_addrs")) {
        for (String a : line.substring(eq + 1).split(",")) {
          String addr = a.trim().replace("\"", "");
          if (!addr.isEmpty()) {
            addrs.add(addr);
          }
        }
      }
    }
    return addrs;
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    return hash < 0 ? line : line.substring(0, hash);
  }

  private static boolean sameHost(String a, String b) {
    return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }
}
