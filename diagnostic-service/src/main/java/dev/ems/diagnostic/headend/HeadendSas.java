package dev.ems.diagnostic.headend;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code swanctl --list-sas --raw} of the EMS headend: the devices' IKE SAs (identity {@code
 * O=<tenant>, CN=<device id>}, the subject of their certificate, or {@code CN=<device id>} as older
 * certificates and swanctl files named them) with their unique id, and which of them are
 * ESTABLISHED with an INSTALLED child SA. Anything else in the output (other connections) is
 * ignored.
 */
final class HeadendSas {

  private static final Pattern REMOTE_ID =
      Pattern.compile(
          " remote-id=(?:O=[A-Za-z0-9._-]+, )?CN=([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
              + "-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})[ }]");
  private static final Pattern UNIQUE_ID = Pattern.compile("\\{uniqueid=([0-9]{1,18}) ");

  private HeadendSas() {}

  /** One of the headend's IKE SAs with a device. */
  record Sa(long ikeId, UUID device, boolean established) {}

  static List<Sa> sas(String listSas) {
    List<Sa> sas = new ArrayList<>();
    for (String line : listSas.split("\n")) {
      if (!line.startsWith("list-sa event {")) {
        continue;
      }
      int children = line.indexOf("child-sas {");
      String ike = children < 0 ? line : line.substring(0, children);
      Matcher id = REMOTE_ID.matcher(ike);
      Matcher unique = UNIQUE_ID.matcher(ike);
      if (id.find() && unique.find()) {
        boolean up =
            children >= 0
                && ike.contains(" state=ESTABLISHED ")
                && line.substring(children).contains(" state=INSTALLED ");
        sas.add(new Sa(Long.parseLong(unique.group(1)), UUID.fromString(id.group(1)), up));
      }
    }
    return sas;
  }

  static Set<UUID> established(String listSas) {
    Set<UUID> devices = new TreeSet<>();
    for (Sa sa : sas(listSas)) {
      if (sa.established()) {
        devices.add(sa.device());
      }
    }
    return devices;
  }
}
