package org.sentinelplaybooks.playbooks;

import com.azure.data.tables.TableServiceClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.BlockSettings;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.playbooks.state.BlockStore;
import org.sentinelplaybooks.playbooks.state.InMemoryBlockStore;
import org.sentinelplaybooks.playbooks.state.InMemoryTicketStore;
import org.sentinelplaybooks.playbooks.state.TableBlockStore;
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
          "Microsoft Graph: set " + Settings.AZURE_GRAPH_ENDPOINT + " (with AZURE_CLOUD=Local)",
          BlockIpPlaybook.NAME,
          "an enforcement point: set "
              + Settings.BLOCK_NSG_IDS
              + ", "
              + Settings.BLOCK_IP_GROUP_IDS
              + ", "
              + Settings.BLOCK_NAMED_LOCATION_ID
              + " or "
              + Settings.BLOCK_MDE
              + "=true");

  private final Settings settings;
  private final Map<String, Playbook> byName = new LinkedHashMap<>();
  private final ExpireBlocks expireBlocks;

  /** The given playbooks, with no blocks to expire. */
  public Playbooks(Settings settings, List<Playbook> playbooks) {
    this(settings, playbooks, new ExpireBlocks(null, List.of(), new InMemoryBlockStore()));
  }

  Playbooks(Settings settings, List<Playbook> playbooks, ExpireBlocks expireBlocks) {
    this.settings = settings;
    this.expireBlocks = expireBlocks;
    for (Playbook playbook : playbooks) {
      byName.put(playbook.name(), playbook);
    }
  }

  /**
   * Every playbook, wired to the clients, with ticket links and blocks in the {@code tickets} and
   * {@code blocks} tables of the app's storage (or in memory when no storage is set). A playbook
   * whose service is not configured is left out.
   */
  public static Playbooks create(Settings settings, ServiceClients clients) {
    Optional<TableServiceClient> tables = clients.tables();
    return create(
        settings,
        clients,
        tables.<TicketStore>map(TableTicketStore::new).orElseGet(InMemoryTicketStore::new),
        tables.<BlockStore>map(TableBlockStore::new).orElseGet(InMemoryBlockStore::new));
  }

  public static Playbooks create(
      Settings settings, ServiceClients clients, TicketStore tickets, BlockStore blocks) {
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
    List<Blocker> blockers = blockers(settings, clients);
    if (!blockers.isEmpty()) {
      playbooks.add(new BlockIpPlaybook(settings, clients.sentinel(), blockers, blocks));
    }
    return new Playbooks(
        settings, playbooks, new ExpireBlocks(clients.sentinel(), blockers, blocks));
  }

  /** The enforcement points the settings name, each with its client. */
  private static List<Blocker> blockers(Settings settings, ServiceClients clients) {
    BlockSettings block = settings.block();
    List<Blocker> blockers = new ArrayList<>();
    for (String nsg : block.nsgIds()) {
      blockers.add(new NsgBlocker(clients.network(), nsg, block.nsgRulePriority()));
    }
    for (String group : block.ipGroupIds()) {
      blockers.add(new IpGroupBlocker(clients.network(), group));
    }
    if (block.namedLocationId() != null && clients.identity().isPresent()) {
      blockers.add(new NamedLocationBlocker(clients.identity().get(), block.namedLocationId()));
    }
    if (block.mde() && clients.defenderForEndpoint().isPresent()) {
      blockers.add(new MdeBlocker(clients.defenderForEndpoint().get()));
    }
    return blockers;
  }

  /** Lifts expired blocks; the timer function and {@code cli expire-blocks} run it. */
  public ExpireBlocks expireBlocks() {
    return expireBlocks;
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
