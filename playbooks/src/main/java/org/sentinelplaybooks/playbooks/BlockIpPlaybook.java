package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sentinelplaybooks.clients.BlockSettings;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.BlockStore;

/**
 * Blocks the incident's attacker addresses (its {@code Ip} entities, or the request's {@code ips})
 * at every configured enforcement point at once, records each block with its expiry in the {@code
 * blocks} table, and comments on the incident. Addresses the policy refuses are never sent
 * anywhere: in the request they are bad input, among the incident's entities they are reported.
 */
public final class BlockIpPlaybook implements Playbook {
  public static final String NAME = "block-ip";
  static final String IPS = "ips";
  static final String TTL = "ttl";

  private final Settings settings;
  private final SentinelClient sentinel;
  private final List<Blocker> blockers;
  private final BlockStore blocks;
  private final AddressPolicy policy;

  BlockIpPlaybook(
      Settings settings, SentinelClient sentinel, List<Blocker> blockers, BlockStore blocks) {
    this.settings = settings;
    this.sentinel = sentinel;
    this.blockers = List.copyOf(blockers);
    this.blocks = blocks;
    this.policy = new AddressPolicy(settings.block().never());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PlaybookResult run(PlaybookRequest request, RunContext context) {
    IncidentId id = request.incidentId();
    List<Cidr> explicit = explicitAddresses(request);
    Optional<Duration> requestedTtl = ttl(request);
    Optional<PlaybookResult> refused = WorkspaceGuard.check(settings, NAME, id, "block", context);
    if (refused.isPresent()) {
      return refused.get();
    }
    CompletableFuture<List<IncidentEntity>> entities =
        IncidentReader.entitiesUnlessGiven(sentinel, id, explicit);
    Incident incident = IncidentReader.read(sentinel, id, request, context);

    List<ActionResult> actions = new ArrayList<>();
    List<Cidr> addresses = explicit.isEmpty() ? fromEntities(entities.join(), actions) : explicit;
    if (addresses.isEmpty()) {
      actions.add(
          ActionResult.of(
              "incident:" + id.armId(),
              "block",
              Outcome.SKIPPED,
              "no address to block: the incident has no public Ip entity"));
      return finish(incident, actions, addresses, context);
    }
    Instant now = Instant.now();
    Duration ttl = requestedTtl.orElse(settings.block().ttl());
    List<Blocker.BlockOutcome> outcomes =
        Parallel.map(
            blockers,
            blockers.size(),
            blocker ->
                blocker.block(
                    new Blocker.Order(
                        addresses,
                        expiries(blocker, addresses, incident, now, ttl, requestedTtl.isPresent()),
                        reason(incident)),
                    context.dryRun()));
    for (int i = 0; i < blockers.size(); i++) {
      Blocker.BlockOutcome outcome = outcomes.get(i);
      actions.add(outcome.action());
      if (!context.dryRun()) {
        record(blockers.get(i), outcome, incident, now, ttl, requestedTtl.isPresent(), actions);
      }
    }
    return finish(incident, actions, addresses, context);
  }

  private PlaybookResult finish(
      Incident incident, List<ActionResult> actions, List<Cidr> addresses, RunContext context) {
    String headline = addresses.isEmpty() ? null : "Addresses: " + BlockMerge.list(addresses);
    actions.addAll(
        AuditComment.write(
            sentinel, incident.id(), incident.etag(), NAME, actions, headline, context));
    PlaybookResult result =
        PlaybookResult.of(NAME, incident.id().armId(), context.dryRun(), actions);
    Actions.log(context, result);
    return result;
  }

  /**
   * Until when each address stays blocked here: a block this incident already holds keeps its
   * expiry (a second run changes nothing) unless the request names a TTL; otherwise the later of
   * the recorded expiry and now + TTL.
   */
  private Map<Cidr, Instant> expiries(
      Blocker blocker,
      List<Cidr> addresses,
      Incident incident,
      Instant now,
      Duration ttl,
      boolean ttlRequested) {
    Map<Cidr, Instant> expiries = new LinkedHashMap<>();
    for (Cidr address : addresses) {
      expiries.put(
          address,
          expiry(
              blocks.get(blocker.target(), address.toString()), incident, now, ttl, ttlRequested));
    }
    return expiries;
  }

  private static Instant expiry(
      Optional<BlockRecord> recorded,
      Incident incident,
      Instant now,
      Duration ttl,
      boolean ttlRequested) {
    Instant wanted = now.plus(ttl);
    if (recorded.isEmpty()) {
      return wanted;
    }
    boolean sameIncident = recorded.get().incidentId().equalsIgnoreCase(incident.id().armId());
    if (sameIncident && !ttlRequested) {
      return recorded.get().expiresAt();
    }
    return wanted.isAfter(recorded.get().expiresAt()) ? wanted : recorded.get().expiresAt();
  }

  private void record(
      Blocker blocker,
      Blocker.BlockOutcome outcome,
      Incident incident,
      Instant now,
      Duration ttl,
      boolean ttlRequested,
      List<ActionResult> actions) {
    try {
      for (Cidr address : outcome.enforced()) {
        Optional<BlockRecord> recorded = blocks.get(blocker.target(), address.toString());
        Instant expiresAt = expiry(recorded, incident, now, ttl, ttlRequested);
        if (recorded.isPresent() && !expiresAt.isAfter(recorded.get().expiresAt())) {
          continue;
        }
        blocks.put(
            new BlockRecord(
                blocker.target(), address.toString(), expiresAt, incident.id().armId(), now));
      }
    } catch (RuntimeException e) {
      actions.add(
          ActionResult.of(
              blocker.target(),
              "record-expiry",
              Outcome.FAILED,
              "blocked, but the expiry could not be recorded, so it will not be lifted: "
                  + Actions.describe(e)));
    }
  }

  private static String reason(Incident incident) {
    return "Sentinel incident "
        + (incident.incidentNumber() == null
            ? incident.id().name()
            : "#" + incident.incidentNumber())
        + ": "
        + (incident.title() == null ? "" : incident.title());
  }

  private List<Cidr> explicitAddresses(PlaybookRequest request) {
    JsonNode node = request.node(IPS);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new BadInputException(IPS, "must be a non-empty list of IP addresses or CIDRs");
    }
    Set<Cidr> addresses = new LinkedHashSet<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new BadInputException(IPS, item + " is not an address string");
      }
      Cidr address;
      try {
        address = Cidr.parse(item.asText());
      } catch (IllegalArgumentException e) {
        throw new BadInputException(IPS, e.getMessage());
      }
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        throw new BadInputException(IPS, refusal.get() + "; nothing was blocked");
      }
      addresses.add(address);
    }
    return List.copyOf(addresses);
  }

  private Optional<Duration> ttl(PlaybookRequest request) {
    Optional<String> text = request.text(TTL);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration ttl;
    try {
      ttl = Settings.positiveDuration(text.get());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(TTL, e.getMessage());
    }
    BlockSettings block = settings.block();
    if (ttl.compareTo(block.maxTtl()) > 0) {
      throw new BadInputException(
          TTL,
          "'"
              + text.get()
              + "' is longer than "
              + Settings.BLOCK_MAX_TTL
              + " ("
              + block.maxTtl()
              + ")");
    }
    return Optional.of(ttl);
  }

  /** The incident's Ip entities that may be blocked; the others are reported as refused. */
  private List<Cidr> fromEntities(List<IncidentEntity> entities, List<ActionResult> actions) {
    Set<Cidr> addresses = new LinkedHashSet<>();
    for (IncidentEntity entity : entities) {
      String value = entity.property("address");
      if (!"Ip".equalsIgnoreCase(entity.kind()) || value == null) {
        continue;
      }
      Cidr address;
      try {
        address = Cidr.parse(value);
      } catch (IllegalArgumentException e) {
        actions.add(ActionResult.of("ip:" + value, "block", Outcome.REFUSED, e.getMessage()));
        continue;
      }
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        actions.add(ActionResult.of("ip:" + address, "block", Outcome.REFUSED, refusal.get()));
      } else {
        addresses.add(address);
      }
    }
    return List.copyOf(addresses);
  }
}
