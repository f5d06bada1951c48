package dev.ems.sc.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Refuses webhook targets on loopback, link-local, private, unique-local, carrier-grade NAT,
 * multicast and unspecified addresses (SSRF) unless {@code sc.webhooks.allowed-targets} names the
 * host, the address or a range holding it. Checked when a subscription is written and again before
 * every delivery, on each address the host resolves to; redirects are never followed.
 */
@Component
class TargetGuard {

  /** Why a target is refused; the message names the URL's host, never a secret. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final List<String> allowed;

  TargetGuard(WebhookProperties properties) {
    this.allowed =
        properties.allowedTargets().stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(s -> s.toLowerCase(Locale.ROOT))
            .toList();
  }

  /** The URL when its form is acceptable (http or https, a host, no user info), else Refused. */
  static URI parse(String url) throws Refused {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new Refused("url is not a valid URI");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new Refused("url must be http or https");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new Refused("url must name a host, without user info or fragment");
    }
    return uri;
  }

  /**
   * Checks the addresses of the URL's host. A host that does not resolve now is accepted when
   * {@code resolveRequired} is false (a subscription may be written before its DNS name exists);
   * deliveries check again and fail while it does not resolve.
   */
  void check(URI uri, boolean resolveRequired) throws Refused {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (allowed.contains(host)) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      if (resolveRequired) {
        throw new Refused("host " + host + " does not resolve");
      }
      return;
    }
    for (InetAddress address : addresses) {
      if (internal(address) && !allowed(address)) {
        throw new Refused(
            "host "
                + host
                + " is a loopback, link-local or private address ("
                + address.getHostAddress()
                + "); name it in EMS_WEBHOOK_ALLOWED_TARGETS to allow it");
      }
    }
  }

  static boolean internal(InetAddress a) {
    byte[] b = a.getAddress();
    boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
    boolean carrierNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    boolean thisNetwork = b.length == 4 && b[0] == 0;
    return a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isAnyLocalAddress()
        || a.isMulticastAddress()
        || uniqueLocal
        || carrierNat
        || thisNetwork;
  }

  private boolean allowed(InetAddress address) {
    for (String entry : allowed) {
      if (entry.equals(address.getHostAddress().toLowerCase(Locale.ROOT))
          || inRange(address, entry)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inRange(InetAddress address, String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return false;
    }
    try {
      byte[] net = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      byte[] a = address.getAddress();
      if (net.length != a.length || bits < 0 || bits > a.length * 8) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((net[i / 8] & mask) != (a[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }
}
