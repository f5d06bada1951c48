package dev.ems.sc.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The template set shipped with EMS, used for any model without an operator set: an OpenWrt-based
 * CPE (UCI system, network with VLANs and static routes, DHCP, firewall) with a strongSwan IKEv2
 * management tunnel back to EMS. Its variables are typed by {@code variables.schema.json}.
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
    Map<String, Object> schema =
        JsonMapper.shared()
            .readValue(
                load("templates/openwrt/variables.schema.json"),
                new TypeReference<Map<String, Object>>() {});
    this.set = new TemplateSet(MODEL, files, schema, 0);
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
