package dev.ems.diagnostic.health.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opening hysteresis: a tunnel-down condition opens an alert only once it was seen in {@code
 * required} consecutive heartbeats, so a flapping tunnel opens none. Other conditions (OFFLINE,
 * certificate, config) open at once. Conditions already alerted stay alerted while present.
 *
 * @param raised the findings alerts are kept open for
 * @param pending conditions seen but not yet confirmed → heartbeats seen so far
 */
public record AlertConfirmation(List<Finding> raised, Map<String, Integer> pending) {

  static final String TUNNEL_DOWN = "TUNNEL_DOWN:";

  /**
   * @param alerted conditions with an open (raised) alert before this state
   * @param pendingBefore unconfirmed conditions before this state
   * @param alertable the alertable findings of the new state
   * @param heartbeat whether the new state comes from a heartbeat (only heartbeats confirm)
   */
  public static AlertConfirmation of(
      List<String> alerted,
      Map<String, Integer> pendingBefore,
      List<Finding> alertable,
      boolean heartbeat,
      int required) {
    List<Finding> raised = new ArrayList<>();
    Map<String, Integer> pending = new LinkedHashMap<>();
    for (Finding f : alertable) {
      if (alerted.contains(f.condition()) || !f.condition().startsWith(TUNNEL_DOWN)) {
        raised.add(f);
        continue;
      }
      int before = pendingBefore.getOrDefault(f.condition(), 0);
      int seen = heartbeat ? before + 1 : Math.max(before, 1);
      if (seen >= required) {
        raised.add(f);
      } else {
        pending.put(f.condition(), seen);
      }
    }
    return new AlertConfirmation(List.copyOf(raised), pending);
  }

  public List<String> conditions() {
    return raised.stream().map(Finding::condition).toList();
  }
}
