package dev.ems.sc.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The template set shipped with EMS, used for any model without an operator set: an OpenWrt-based
 * CPE (UCI system, network with VLANs and static routes, DHCP, firewall) with a strongSwan IKEv2
 * management tunnel back to EMS.
 */
@Component
public class BuiltInTemplates {

  static final String MODEL = "openwrt-default";

  private static final Map<String, String> FILES =
      Map.of(
          "/etc/config/system", "system.j2",
          "/etc/config/network", "network.j2",
          "/etc/config/dhcp", "dhcp.j2",
          "/etc/config/firewall", "firewall.j2",
          "/etc/swanctl/conf.d/ems-mgmt.conf", "swanctl-ems-mgmt.j2");

  private final TemplateSet set;

  public BuiltInTemplates() {
    SortedMap<String, String> files = new TreeMap<>();
    FILES.forEach((path, resource) -> files.put(path, load("templates/openwrt/" + resource)));
    this.set = new TemplateSet(MODEL, files, 0);
  }

  public TemplateSet set() {
    return set;
  }

  private static String load(String resource) {
    try {
      return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
