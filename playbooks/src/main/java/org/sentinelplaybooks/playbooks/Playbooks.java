package org.sentinelplaybooks.playbooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;

/**
 * The playbooks by name, and the one way every trigger (function, CLI, demo) runs them: parse the
 * body, decide dry run ({@code DRY_RUN} setting, {@code ?dryRun=true} or {@code "dryRun": true}),
 * run.
 */
public final class Playbooks {
  private final Settings settings;
  private final Map<String, Playbook> byName = new LinkedHashMap<>();

  public Playbooks(Settings settings, List<Playbook> playbooks) {
    this.settings = settings;
    for (Playbook playbook : playbooks) {
      byName.put(playbook.name(), playbook);
    }
  }

  /** Every playbook, wired to the clients. */
  public static Playbooks create(Settings settings, ServiceClients clients) {
    return new Playbooks(
        settings,
        List.of(
            new CloseIncidentPlaybook(settings, clients.sentinel(), clients.defenderForCloud())));
  }

  public Set<String> names() {
    return byName.keySet();
  }

  public Settings settings() {
    return settings;
  }

  public PlaybookResult run(String name, String body, boolean dryRunRequested, Logger log) {
    return run(name, PlaybookRequest.parse(body), dryRunRequested, log);
  }

  public PlaybookResult run(
      String name, PlaybookRequest request, boolean dryRunRequested, Logger log) {
    Playbook playbook = byName.get(name);
    if (playbook == null) {
      throw new BadInputException(
          "playbook",
          "'" + name + "' is not a playbook; expected one of " + String.join(", ", names()));
    }
    boolean dryRun = settings.dryRun() || dryRunRequested || request.dryRunRequested();
    return playbook.run(request, new RunContext(dryRun, log));
  }
}
