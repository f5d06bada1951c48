package dev.ems.sc.template;

import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {% set tz = timezone | default("") | uci_timezone(zonename | default("")) %}}: a map with
 * {@code zonename} (absent when only a POSIX string was given) and {@code timezone}, the POSIX TZ
 * string OpenWrt needs (see {@link TimeZones}).
 */
final class UciTimezoneFilter implements Filter {

  static final String NAME = "uci_timezone";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    String zonename = args.length > 0 ? args[0] : null;
    try {
      TimeZones.Setting setting = TimeZones.resolve(var == null ? null : var.toString(), zonename);
      Map<String, Object> out = new LinkedHashMap<>();
      if (setting.zonename() != null) {
        out.put("zonename", setting.zonename());
      }
      out.put("timezone", setting.timezone());
      return out;
    } catch (TimeZones.Unknown e) {
      throw new InvalidInputException(interpreter, NAME, e.variable() + ": " + e.getMessage());
    }
  }
}
