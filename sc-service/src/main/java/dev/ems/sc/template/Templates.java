package dev.ems.sc.template;

import org.springframework.stereotype.Component;

/** Which template set renders a device: the tenant's set for its model, else the built-in one. */
@Component
public class Templates {

  private final TemplateStore store;
  private final BuiltInTemplates builtIn;

  Templates(TemplateStore store, BuiltInTemplates builtIn) {
    this.store = store;
    this.builtIn = builtIn;
  }

  public TemplateSet forModel(String tenant, String model) {
    return store.find(tenant, model).orElseGet(builtIn::set);
  }
}
