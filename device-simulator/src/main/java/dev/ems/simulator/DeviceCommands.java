package dev.ems.simulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A device's side of EMS's at-least-once commands (issue 16): it runs each command id once however
 * often a heartbeat response hands it out, posts the check result until device-api takes it (a
 * refused one — unknown or expired — is dropped), and acknowledges the ids it received in its next
 * heartbeat until that heartbeat's response arrives. Not thread-safe: one caller per device.
 */
final class DeviceCommands {

  /** Posts a command's result; returns the HTTP status (or throws when nothing answered). */
  interface ResultSender {
    int send(String commandId) throws Exception;
  }

  private final Set<String> executed = new LinkedHashSet<>();
  private final Set<String> unacknowledged = new LinkedHashSet<>();
  private final Set<String> resultsToSend = new LinkedHashSet<>();
  private final Set<String> resultsAccepted = new LinkedHashSet<>();
  private int handedOutAgain;
  private int refused;

  /** The ids to name in the next heartbeat's {@code acknowledgedCommands}. */
  List<String> toAcknowledge() {
    return List.copyOf(unacknowledged);
  }

  /** A heartbeat response arrived: what it acknowledged is done; its commands are run once. */
  void onHeartbeatResponse(List<String> acknowledged, JsonNode body) {
    acknowledged.forEach(unacknowledged::remove);
    JsonNode commands = body == null ? null : body.path("commands");
    if (commands == null || !commands.isArray()) {
      return;
    }
    for (JsonNode command : commands) {
      String id = command.path("commandId").asString();
      unacknowledged.add(id);
      if (executed.add(id)) {
        resultsToSend.add(id);
      } else {
        handedOutAgain++;
      }
    }
  }

  /** Posts the results not yet taken; a failure keeps the result for the next try. */
  void sendResults(ResultSender sender) {
    for (String id : new ArrayList<>(resultsToSend)) {
      int status;
      try {
        status = sender.send(id);
      } catch (Exception e) {
        return;
      }
      if (status == 202) {
        resultsToSend.remove(id);
        resultsAccepted.add(id);
      } else if (status == 404 || status == 410) {
        resultsToSend.remove(id);
        refused++;
      }
    }
  }

  /** Command ids this device ran (once each). */
  Set<String> executed() {
    return Set.copyOf(executed);
  }

  /** Command ids whose result device-api accepted. */
  Set<String> resultsAccepted() {
    return Set.copyOf(resultsAccepted);
  }

  int handedOutAgain() {
    return handedOutAgain;
  }

  int refused() {
    return refused;
  }
}
