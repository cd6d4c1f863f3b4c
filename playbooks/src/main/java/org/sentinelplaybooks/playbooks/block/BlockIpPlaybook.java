package org.sentinelplaybooks.playbooks.block;

import java.time.Clock;
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
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.IpEntity;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.ActionStep;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.IncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.IncidentReader;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.BlockStore;

/**
 * Blocks the incident's attacker addresses (its {@code Ip} entities, or the request's {@code ips})
 * at every configured enforcement point at once, records each block with its expiry in the {@code
 * blocks} table, and comments on the incident. Addresses the policy refuses are never sent
 * anywhere: in the request they are bad input, among the incident's entities they are reported.
 */
public final class BlockIpPlaybook extends IncidentPlaybook<BlockIpOptions> {
  public static final String NAME = "block-ip";

  /** How many of the addresses past the cap the refusal lists by name. */
  static final int REFUSED_LISTED = 10;

  private final PlaybookSettings settings;
  private final SentinelClient sentinel;
  private final List<Blocker> blockers;
  private final BlockStore blocks;
  private final AddressPolicy policy;
  private final Parallel parallel;
  private final Clock clock;

  /** Blocks counted from {@code clock}'s now. */
  public BlockIpPlaybook(
      PlaybookSettings settings,
      SentinelClient sentinel,
      List<Blocker> blockers,
      BlockStore blocks,
      Parallel parallel,
      Clock clock) {
    super(NAME, "block", BlockIpOptions.class, settings, sentinel);
    this.settings = settings;
    this.sentinel = sentinel;
    this.blockers = List.copyOf(blockers);
    this.blocks = blocks;
    this.policy = new AddressPolicy(settings.block().never());
    this.parallel = parallel;
    this.clock = clock;
  }

  @Override
  protected BlockIpOptions options(PlaybookRequest request) {
    return BlockIpOptions.of(request, settings);
  }

  @Override
  protected Act start(IncidentId id, BlockIpOptions options, RunContext context) {
    CompletableFuture<List<IncidentEntity>> entities =
        IncidentReader.entitiesUnlessGiven(parallel, sentinel, id, options.ips());
    return incident -> act(id, incident, options, entities, context);
  }

  /** Blocks the addresses at every enforcement point at once. */
  private Acted act(
      IncidentId id,
      Incident incident,
      BlockIpOptions options,
      CompletableFuture<List<IncidentEntity>> entities,
      RunContext context) {
    List<ActionResult> actions = new ArrayList<>();
    List<Cidr> addresses =
        options.ips().isEmpty() ? fromEntities(entities.join(), id, actions) : options.ips();
    if (addresses.isEmpty()) {
      actions.add(
          ActionStep.on("incident:" + id.armId(), "block")
              .skipped("no address to block: the incident has no public Ip entity"));
      return Acted.of(actions);
    }
    Instant now = clock.instant();
    Duration ttl = options.ttl().orElse(settings.block().ttl());
    boolean ttlRequested = options.ttl().isPresent();
    List<Blocker.BlockOutcome> outcomes =
        parallel.each(
            blockers,
            blockers.size(),
            blocker -> blockAt(blocker, addresses, incident, now, ttl, ttlRequested, context));
    outcomes.forEach(outcome -> actions.add(outcome.action()));
    return Acted.of(actions, "Addresses: " + BlockMerge.list(addresses));
  }

  /** Records the addresses at this target first, then blocks them there. */
  private Blocker.BlockOutcome blockAt(
      Blocker blocker,
      List<Cidr> addresses,
      Incident incident,
      Instant now,
      Duration ttl,
      boolean ttlRequested,
      RunContext context) {
    Map<Cidr, Instant> expiries = expiries(blocker, addresses, incident, now, ttl, ttlRequested);
    if (!context.dryRun()) {
      try {
        expiries = recordFirst(blocker, expiries, incident, now);
      } catch (RuntimeException e) {
        return Blocker.BlockOutcome.failed(
            blocker.target(),
            "not blocked: the expiry could not be recorded first, and a block without a record"
                + " would never be lifted: "
                + Actions.describe(e));
      }
    }
    return blocker.block(
        new Blocker.Order(addresses, expiries, reason(incident)), context.dryRun());
  }

  /**
   * Until when each address stays blocked here: a block this incident already holds, and that has
   * not expired, keeps its expiry (a second run changes nothing) unless the request names a TTL;
   * otherwise the later of the recorded expiry and now + TTL.
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
    // A block whose expiry has passed (not lifted yet) is blocked anew, as if never recorded.
    if (recorded.isEmpty()
        || recorded.get().lifting()
        || !recorded.get().expiresAt().isAfter(now)) {
      return wanted;
    }
    boolean sameIncident = recorded.get().incidentId().equalsIgnoreCase(incident.id().armId());
    if (sameIncident && !ttlRequested) {
      return recorded.get().expiresAt();
    }
    return wanted.isAfter(recorded.get().expiresAt()) ? wanted : recorded.get().expiresAt();
  }

  /**
   * Records every address at this target, with its expiry, before anything is sent there: a write
   * that lands and is then lost to a failure or a timeout is still lifted when it expires. Returns
   * the expiries as recorded, which a run that read before another's write finds later than its own
   * (an expiry is never shortened).
   */
  private Map<Cidr, Instant> recordFirst(
      Blocker blocker, Map<Cidr, Instant> expiries, Incident incident, Instant now) {
    Map<Cidr, Instant> recorded = new LinkedHashMap<>();
    expiries.forEach(
        (address, expiresAt) ->
            recorded.put(
                address,
                blocks.extend(
                    BlockRecord.pending(
                        blocker.target(),
                        address.toString(),
                        expiresAt,
                        incident.id().armId(),
                        now))));
    return recorded;
  }

  private static String reason(Incident incident) {
    return "Sentinel incident "
        + (incident.incidentNumber() == null
            ? incident.id().name()
            : "#" + incident.incidentNumber())
        + ": "
        + (incident.title() == null ? "" : incident.title());
  }

  /**
   * The incident's Ip entities that may be blocked, at most {@code BLOCK_MAX_ADDRESSES} of them;
   * the others are reported as refused.
   */
  private List<Cidr> fromEntities(
      List<IncidentEntity> entities, IncidentId id, List<ActionResult> actions) {
    Set<Cidr> addresses = new LinkedHashSet<>();
    for (IncidentEntity entity : entities) {
      Optional<IpEntity> ip = entity.asIp();
      if (ip.isEmpty()) {
        continue;
      }
      String value = ip.get().address();
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
    int most = settings.block().maxAddresses();
    if (addresses.size() <= most) {
      return List.copyOf(addresses);
    }
    List<Cidr> all = List.copyOf(addresses);
    List<Cidr> past = all.subList(most, all.size());
    actions.add(
        ActionResult.of(
            "incident:" + id.armId(),
            "block",
            Outcome.REFUSED,
            past.size()
                + " more Ip entities past "
                + BlockSettings.BLOCK_MAX_ADDRESSES
                + " ("
                + most
                + " a run) were not blocked; name them in ips to block them: "
                + BlockMerge.list(past.subList(0, Math.min(REFUSED_LISTED, past.size())))
                + (past.size() > REFUSED_LISTED ? ", ..." : "")));
    return all.subList(0, most);
  }
}
