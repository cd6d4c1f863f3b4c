package org.sentinelplaybooks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.sentinelplaybooks.bench.SoakFixture.Target;
import org.sentinelplaybooks.cli.DemoScenario;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * What the emulator holds at the end of a soak, read once, as its checks need it: whether each
 * run's work is there, and what must never be there.
 */
record SoakState(
    Map<String, JsonNode> incidents,
    Map<String, List<String>> comments,
    Map<String, String> alertStatuses,
    List<JsonNode> tickets,
    List<Cidr> nsgPrefixes,
    List<Cidr> ipGroupAddresses,
    List<Cidr> namedLocationRanges,
    List<JsonNode> indicators,
    Map<String, JsonNode> users,
    Map<String, String> riskStates) {
  /** ServiceNow's Resolved and Closed states. */
  private static final Set<String> RESOLVED_STATES = Set.of("6", "7");

  private static final String TICKET_LABEL = "ServiceNow:";
  private static final String BLOCK_RULE = "sentinel-playbooks-block-";

  static SoakState read(Emulator emulator, List<Target> targets) {
    var state = emulator.state();
    Map<String, JsonNode> incidents = new HashMap<>();
    Map<String, List<String>> comments = new HashMap<>();
    for (Target target : targets) {
      state.incident(target.id()).ifPresent(i -> incidents.put(target.id(), i));
      comments.put(
          target.id(),
          state.comments(target.id()).stream()
              .map(c -> c.path("properties").path("message").asText())
              .toList());
    }
    Map<String, String> alertStatuses = new HashMap<>();
    state
        .mdcAlerts()
        .forEach(
            a ->
                alertStatuses.put(
                    a.path("name").asText().toLowerCase(Locale.ROOT),
                    a.path("properties").path("status").asText()));
    List<Cidr> nsgPrefixes = new ArrayList<>();
    state
        .networkSecurityGroup(DemoScenario.NSG)
        .ifPresent(
            nsg -> {
              for (JsonNode rule : nsg.path("properties").path("securityRules")) {
                if (rule.path("name").asText().startsWith(BLOCK_RULE)) {
                  nsgPrefixes.addAll(
                      cidrs(rule.path("properties").path("sourceAddressPrefixes"), n -> n));
                }
              }
            });
    List<Cidr> ipGroup =
        state
            .ipGroup(DemoScenario.IP_GROUP)
            .map(g -> cidrs(g.path("properties").path("ipAddresses"), n -> n))
            .orElse(List.of());
    List<Cidr> namedLocation =
        state
            .namedLocation(DemoScenario.NAMED_LOCATION)
            .map(l -> cidrs(l.path("ipRanges"), n -> n.path("cidrAddress")))
            .orElse(List.of());
    Map<String, JsonNode> users = new HashMap<>();
    Map<String, String> riskStates = new HashMap<>();
    List<String> userIds = new ArrayList<>(List.of(DemoScenario.PROTECTED_USER));
    targets.forEach(t -> userIds.add(t.user()));
    for (String id : new HashSet<>(userIds)) {
      state.entraUser(id).ifPresent(u -> users.put(id, u));
      state.riskyUser(id).ifPresent(r -> riskStates.put(id, r.path("riskState").asText()));
    }
    return new SoakState(
        incidents,
        comments,
        alertStatuses,
        List.copyOf(state.serviceNowIncidents()),
        nsgPrefixes,
        ipGroup,
        namedLocation,
        List.copyOf(state.mdeIndicators()),
        users,
        riskStates);
  }

  private static List<Cidr> cidrs(JsonNode list, Function<JsonNode, JsonNode> value) {
    List<Cidr> cidrs = new ArrayList<>();
    for (JsonNode item : list) {
      try {
        cidrs.add(Cidr.parse(value.apply(item).asText()));
      } catch (IllegalArgumentException e) {
        // not an address (e.g. '*'): holds nothing the soak blocks
      }
    }
    return cidrs;
  }

  /** Whether the work of a run of the playbook on the target is there, by its own promise. */
  boolean done(String playbook, Target target) {
    return switch (playbook) {
      case CloseIncidentPlaybook.NAME -> closed(target);
      case CreateTicketPlaybook.NAME -> ticketed(target);
      case BlockIpPlaybook.NAME -> blocked(target.attacker());
      default -> contained(target);
    };
  }

  /** Closed, every Defender for Cloud alert dismissed or resolved, its linked ticket resolved. */
  private boolean closed(Target target) {
    JsonNode incident = incidents.get(target.id());
    List<String> labels = ticketLabels(target);
    return incident != null
        && "Closed".equals(incident.path("properties").path("status").asText())
        && target.alertNames().stream()
            .map(name -> alertStatuses.get(name.toLowerCase(Locale.ROOT)))
            .allMatch(s -> "Dismissed".equals(s) || "Resolved".equals(s))
        && tickets(target).stream()
            .filter(t -> labels.contains(TICKET_LABEL + t.path("number").asText()))
            .allMatch(t -> RESOLVED_STATES.contains(t.path("state").asText()));
  }

  /** Exactly one ticket, and the incident labelled with its number and no other ticket's. */
  private boolean ticketed(Target target) {
    List<JsonNode> tickets = tickets(target);
    if (tickets.size() != 1 || !incidents.containsKey(target.id())) {
      return false;
    }
    List<String> ticketLabels = ticketLabels(target);
    return ticketLabels.equals(List.of(TICKET_LABEL + tickets.get(0).path("number").asText()));
  }

  private boolean blocked(Cidr address) {
    return nsgPrefixes.stream().anyMatch(p -> p.contains(address))
        && ipGroupAddresses.stream().anyMatch(p -> p.contains(address))
        && namedLocationRanges.stream().anyMatch(p -> p.contains(address))
        && indicators.stream()
            .anyMatch(
                i ->
                    address.address().equals(i.path("indicatorValue").asText())
                        && "Block".equals(i.path("action").asText()));
  }

  /** Confirmed compromised, sessions revoked and password reset since the incident began. */
  private boolean contained(Target target) {
    JsonNode user = users.get(target.user());
    return user != null
        && "confirmedCompromised".equals(riskStates.get(target.user()))
        && after(user, "signInSessionsValidFromDateTime", target.created())
        && after(user, "lastPasswordChangeDateTime", target.created());
  }

  private static boolean after(JsonNode user, String field, Instant time) {
    String value = user.path(field).asText("");
    return !value.isEmpty() && Instant.parse(value).isAfter(time);
  }

  List<JsonNode> tickets(Target target) {
    return tickets.stream()
        .filter(t -> target.name().equalsIgnoreCase(t.path("correlation_id").asText()))
        .toList();
  }

  List<String> ticketLabels(Target target) {
    List<String> labels = new ArrayList<>();
    JsonNode incident = incidents.get(target.id());
    if (incident != null) {
      for (JsonNode label : incident.path("properties").path("labels")) {
        if (label.path("labelName").asText().startsWith(TICKET_LABEL)) {
          labels.add(label.path("labelName").asText());
        }
      }
    }
    return labels;
  }

  /** What must never be there: each kind of second write, and each guardrail broken. */
  Map<String, Long> mustBeZero(List<Target> targets, Instant soakStart, long succeededButUndone) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(
        "second ServiceNow tickets for one incident",
        extra(tickets.stream().map(t -> t.path("correlation_id").asText()).toList()));
    counts.put(
        "incidents labelled with more than one ticket",
        targets.stream().filter(t -> new HashSet<>(ticketLabels(t)).size() > 1).count());
    counts.put(
        "labels held twice on one incident",
        targets.stream()
            .mapToLong(
                t ->
                    incidents.containsKey(t.id())
                        ? extra(
                            incidents
                                .get(t.id())
                                .path("properties")
                                .path("labels")
                                .findValuesAsText("labelName"))
                        : 0)
            .sum());
    counts.put("addresses held twice in the NSG's block rules", extra(nsgPrefixes));
    counts.put("addresses held twice in the IP Group", extra(ipGroupAddresses));
    counts.put("ranges held twice in the named location", extra(namedLocationRanges));
    counts.put(
        "second Defender for Endpoint indicators for one value",
        extra(
            indicators.stream()
                .map(
                    i ->
                        i.path("indicatorType").asText()
                            + " "
                            + i.path("indicatorValue").asText().toLowerCase(Locale.ROOT))
                .toList()));
    counts.put(
        "comments written twice on one incident",
        targets.stream().mapToLong(t -> extra(comments.get(t.id()))).sum());
    List<Cidr> everywhere = new ArrayList<>(nsgPrefixes);
    everywhere.addAll(ipGroupAddresses);
    everywhere.addAll(namedLocationRanges);
    indicators.forEach(
        i -> {
          try {
            everywhere.add(Cidr.parse(i.path("indicatorValue").asText()));
          } catch (IllegalArgumentException e) {
            // not an address indicator
          }
        });
    Cidr never = Cidr.parse(SoakFixture.NEVER_BLOCK);
    counts.put(
        "never-block addresses blocked", everywhere.stream().filter(never::overlaps).count());
    JsonNode admin = users.get(DemoScenario.PROTECTED_USER);
    counts.put(
        "changes to the protected administrator",
        Stream.of(
                riskStates.containsKey(DemoScenario.PROTECTED_USER),
                admin != null && after(admin, "signInSessionsValidFromDateTime", soakStart),
                admin != null && after(admin, "lastPasswordChangeDateTime", soakStart))
            .filter(changed -> changed)
            .count());
    counts.put("runs that succeeded but whose work is not there", succeededButUndone);
    return counts;
  }

  /**
   * Resets beyond one per user: two runs for one user at the same time both reset, each to a new
   * password nobody knows, which does no harm.
   */
  long extraPasswordResets() {
    return users.values().stream()
        .mapToLong(u -> Math.max(0, u.path("passwordResets").asInt(0) - 1))
        .sum();
  }

  static long extra(List<?> values) {
    return values.size() - new HashSet<>(values).size();
  }
}
