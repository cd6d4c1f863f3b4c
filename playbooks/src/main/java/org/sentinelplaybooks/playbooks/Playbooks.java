package org.sentinelplaybooks.playbooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;
import org.sentinelplaybooks.playbooks.state.TableTicketStore;
import org.sentinelplaybooks.playbooks.state.TicketStore;

/**
 * The playbooks by name, and the one way every trigger (function, CLI, demo) runs them: parse the
 * body, decide dry run ({@code DRY_RUN} setting, {@code ?dryRun=true} or {@code "dryRun": true}),
 * run.
 */
public final class Playbooks {
  /** What a playbook that is off needs before it can run. */
  private static final Map<String, String> UNCONFIGURED =
      Map.of(
          CreateTicketPlaybook.NAME,
          "ServiceNow: set " + Settings.SERVICENOW_INSTANCE_URL + " and its credentials",
          ConfirmRiskyUserPlaybook.NAME,
          "Microsoft Graph: set " + Settings.AZURE_GRAPH_ENDPOINT + " (with AZURE_CLOUD=Local)");

  private final Settings settings;
  private final Map<String, Playbook> byName = new LinkedHashMap<>();

  public Playbooks(Settings settings, List<Playbook> playbooks) {
    this.settings = settings;
    for (Playbook playbook : playbooks) {
      byName.put(playbook.name(), playbook);
    }
  }

  /**
   * Every playbook, wired to the clients, with ticket links in the {@code tickets} table of the
   * app's storage (or in memory when no storage is set). {@code create-ticket} is there when
   * ServiceNow is configured.
   */
  public static Playbooks create(Settings settings, ServiceClients clients) {
    TicketStore tickets =
        clients
            .tables()
            .<TicketStore>map(TableTicketStore::new)
            .orElseGet(InMemoryTicketStore::new);
    return create(settings, clients, tickets);
  }

  public static Playbooks create(Settings settings, ServiceClients clients, TicketStore tickets) {
    ServiceNowClient serviceNow = clients.serviceNow().orElse(null);
    List<Playbook> playbooks = new ArrayList<>();
    playbooks.add(
        new CloseIncidentPlaybook(
            settings, clients.sentinel(), clients.defenderForCloud(), serviceNow, tickets));
    if (serviceNow != null) {
      playbooks.add(new CreateTicketPlaybook(settings, clients.sentinel(), serviceNow, tickets));
    }
    clients
        .identity()
        .ifPresent(
            identity ->
                playbooks.add(
                    new ConfirmRiskyUserPlaybook(settings, clients.sentinel(), identity)));
    return new Playbooks(settings, playbooks);
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
    String missing = UNCONFIGURED.get(name);
    if (playbook == null && missing != null) {
      throw new BadInputException("playbook", name + " needs " + missing);
    }
    if (playbook == null) {
      throw new BadInputException(
          "playbook",
          "'" + name + "' is not a playbook; expected one of " + String.join(", ", names()));
    }
    boolean dryRun = settings.dryRun() || dryRunRequested || request.dryRunRequested();
    return playbook.run(request, new RunContext(dryRun, log));
  }
}
