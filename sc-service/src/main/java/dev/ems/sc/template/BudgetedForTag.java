package dev.ems.sc.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Jinjava's {@code for}, with every iteration counted against the render's budget: the loop
 * iterates a view of its collection whose iterator asks {@link RenderSandbox} before each item.
 * Collections keep their size, so {@code loop.length} and {@code loop.last} work as before.
 */
final class BudgetedForTag extends ForTag {

  @Override
  public String renderForCollection(
      TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars, Object collection) {
    return super.renderForCollection(
        tagNode, interpreter, loopVars, counted(collection, interpreter, tagNode.getLineNumber()));
  }

  private static Object counted(Object items, JinjavaInterpreter interpreter, int line) {
    if (items instanceof Map<?, ?> map) {
      boolean keys = interpreter.getConfig().getLegacyOverrides().isIterateOverMapKeys();
      return new Counted(keys ? map.keySet() : map.values(), line);
    }
    if (items instanceof Collection<?> collection) {
      return new Counted(collection, line);
    }
    if (items instanceof Object[] array) {
      return new Counted(Arrays.asList(array), line);
    }
    if (items instanceof Iterable<?> iterable) {
      return (Iterable<Object>) () -> new CountingIterator(iterable.iterator(), line);
    }
    if (items instanceof Iterator<?> iterator) {
      return new CountingIterator(iterator, line);
    }
    return items;
  }

  private static final class Counted extends AbstractCollection<Object> {
    private final Collection<?> items;
    private final int line;

    Counted(Collection<?> items, int line) {
      this.items = items;
      this.line = line;
    }

    @Override
    public Iterator<Object> iterator() {
      return new CountingIterator(items.iterator(), line);
    }

    @Override
    public int size() {
      return items.size();
    }
  }

  private record CountingIterator(Iterator<?> items, int line) implements Iterator<Object> {
    @Override
    public boolean hasNext() {
      return items.hasNext();
    }

    @Override
    public Object next() {
      RenderSandbox.iteration(line);
      return items.next();
    }
  }
}
