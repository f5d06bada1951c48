package dev.ems.sc.generation;

import dev.ems.common.event.DeviceFeaturesChanged.FeatureSetting;
import dev.ems.sc.template.TemplateSet;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a change set stages for one device's render, each null when the stored one applies: the
 * site's variables (stored, i.e. sealed, form), the template set of the device's model, and the
 * whole feature set. Staged device variables travel in the {@link
 * dev.ems.sc.inventory.DeviceProfile} itself.
 */
public record RenderOverrides(
    Map<String, Object> siteVariables,
    TemplateSet templateSet,
    SortedMap<String, FeatureSetting> features) {

  public static final RenderOverrides NONE = new RenderOverrides(null, null, null);
}
