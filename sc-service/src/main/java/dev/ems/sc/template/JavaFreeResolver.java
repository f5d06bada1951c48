package dev.ems.sc.template;

import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import java.beans.FeatureDescriptor;
import java.util.Iterator;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.MethodNotFoundException;

/**
 * Jinjava's resolver, except that a template calls methods only on Jinjava's own objects (lists,
 * dicts, namespaces, {@code loop}): never a Java method of a value, such as {@code
 * s.repeat(1000000000)} or {@code getClass()}. Templates have filters for what they need (Jinjava's
 * and EMS's own {@link UciTimezoneFilter}).
 */
final class JavaFreeResolver extends ELResolver {

  private static final String JINJAVA = "com.hubspot.jinjava.";

  private final ELResolver delegate = JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE;

  @Override
  public Object invoke(
      ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
    if (base != null
        && !base.getClass().getName().startsWith(JINJAVA)
        && !(base instanceof UciTimezoneFilter)) {
      throw new MethodNotFoundException(
          "'" + method + "' cannot be called: templates call no Java methods, use filters");
    }
    return delegate.invoke(context, base, method, types, params);
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return delegate.getCommonPropertyType(context, base);
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return delegate.getFeatureDescriptors(context, base);
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return delegate.getType(context, base, property);
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    return delegate.getValue(context, base, property);
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return delegate.isReadOnly(context, base, property);
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {
    delegate.setValue(context, base, property, value);
  }
}
