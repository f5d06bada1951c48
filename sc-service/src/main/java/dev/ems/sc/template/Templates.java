package dev.ems.sc.template;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Which template set renders a device: the tenant's set for its model, else the built-in one. */
@Component
public class Templates {

  private final TemplateStore store;
  private final BuiltInTemplates builtIn;
  private final VariablesSchemas schemas;

  Templates(TemplateStore store, BuiltInTemplates builtIn, VariablesSchemas schemas) {
    this.store = store;
    this.builtIn = builtIn;
    this.schemas = schemas;
  }

  public TemplateSet forModel(String tenant, String model) {
    return store.find(tenant, model).orElseGet(builtIn::set);
  }

  /**
   * A 422 problem naming {@code variables.<name>} when a config request's variables do not suit the
   * set that renders the model: against its schema, and time zones a set deriving OpenWrt's options
   * cannot express. Variables the request leaves out are not required here; tenant, site, device
   * and features may give them.
   */
  public void checkVariables(String tenant, String model, Map<String, Object> variables) {
    TemplateSet set = forModel(tenant, model);
    schemas.validate(set, tenant, variables);
    if (set.derivesTimezone()
        && (variables.containsKey("timezone") || variables.containsKey("zonename"))) {
      try {
        TimeZones.resolve(text(variables, "timezone"), text(variables, "zonename"));
      } catch (TimeZones.Unknown e) {
        throw new EmsException(
            ErrorCode.VALIDATION_FAILED, e.getMessage(), "variables." + e.variable());
      }
    }
  }

  private static String text(Map<String, Object> variables, String name) {
    Object value = variables.get(name);
    if (value instanceof Map<?, ?> map
        && map.size() == 1
        && map.get("secret") instanceof String s) {
      return s;
    }
    if (value != null && !(value instanceof String)) {
      throw new EmsException(
          ErrorCode.VALIDATION_FAILED, "A time zone is a string", "variables." + name);
    }
    return (String) value;
  }
}
