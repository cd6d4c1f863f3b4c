package org.sentinelplaybooks.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentinelplaybooks.clients.ReconcileSettings;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.playbooks.ReconcileRules.Alert;
import org.sentinelplaybooks.playbooks.ReconcileRules.Change;
import org.sentinelplaybooks.playbooks.ReconcileRules.ChangeAlert;
import org.sentinelplaybooks.playbooks.ReconcileRules.CloseIncident;
import org.sentinelplaybooks.playbooks.ReconcileRules.Held;
import org.sentinelplaybooks.playbooks.ReconcileRules.Incident;
import org.sentinelplaybooks.playbooks.ReconcileRules.ResolveTicket;
import org.sentinelplaybooks.playbooks.ReconcileRules.Ticket;

/** The rules as a table: what is known of an incident in, the changes (in short) out. */
class ReconcileRulesTest {
  static final ReconcileSettings DEFAULT =
      new ReconcileSettings(
          ReconcileSettings.DEFAULT_RULES, Duration.ofMinutes(15), Duration.ofDays(1), Set.of());
  static final ReconcileSettings WITH_REOPEN =
      new ReconcileSettings(
          Set.copyOf(ReconcileSettings.RULES),
          Duration.ofMinutes(15),
          Duration.ofDays(1),
          Set.of());

  static Alert mdc(String name, String status) {
    return Alert.ofDefenderForCloud(
        name,
        new AlertState(
            new MdcAlertId("sub", "rg", "westeurope", name), name, status, "High", name));
  }

  static Alert unreadable(String name) {
    return Alert.ofDefenderForCloud(name, null);
  }

  static Alert mde(String name) {
    return Alert.ofOtherProduct("Microsoft Defender for Endpoint", name);
  }

  static Incident open() {
    return new Incident(false, null, false, null);
  }

  static Incident closed(String classification) {
    return new Incident(true, classification, false, "Closed");
  }

  static Ticket resolvedBy(String group, boolean trusted) {
    return new Ticket(true, "INC0010001", "done", "user-sys-id", group, trusted);
  }

  static final Ticket OPEN_TICKET = new Ticket(false, "INC0010001", null, null, null, false);

  /** The changes in short: "close Undetermined", "dismiss a1", "held close", "resolve-ticket". */
  static List<String> shortly(List<Change> changes) {
    List<String> out = new ArrayList<>();
    for (Change change : changes) {
      if (change instanceof CloseIncident close) {
        out.add(
            "close "
                + close.classification()
                + (close.fromUntrustedTicket() ? " from-ticket" : ""));
      } else if (change instanceof ChangeAlert alert) {
        out.add(alert.action() + " " + alert.alert().name());
      } else if (change instanceof Held held) {
        out.add("held " + held.action());
      } else if (change instanceof ReconcileRules.LeftAlone left) {
        out.add("left " + left.alert().name());
      } else if (change instanceof ResolveTicket) {
        out.add("resolve-ticket");
      }
    }
    return out;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "open, every MDC alert dismissed: closed",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), mdc("a2", "Resolved")),
            null,
            List.of("close Undetermined")),
        Arguments.of(
            "open, every MDC alert resolved: closed as TruePositive",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Resolved")),
            null,
            List.of("close TruePositive")),
        Arguments.of(
            "open, one MDC alert still active: nothing",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), mdc("a2", "Active")),
            null,
            List.of()),
        Arguments.of(
            "open, dismissed + unreadable MDC + live MDE alert: kept open, and said so",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), unreadable("a2"), mde("Ransomware activity")),
            null,
            List.of("held close")),
        Arguments.of(
            "open, dismissed MDC + MDE alert: kept open (MDE is not read yet)",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), mde("Ransomware activity")),
            null,
            List.of("held close")),
        Arguments.of(
            "open, MDC status unknown to the rules: kept open",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), mdc("a2", "Unknown")),
            null,
            List.of("held close")),
        Arguments.of(
            "open, only alerts of other products: nothing, nothing said",
            DEFAULT,
            open(),
            List.of(mde("m1")),
            null,
            List.of()),
        Arguments.of(
            "open, no alerts at all: nothing", DEFAULT, open(), List.of(), null, List.of()),
        Arguments.of(
            "open, ticket resolved by an untrusted group: closed, marked from-ticket",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Active")),
            resolvedBy("0123456789abcdef0123456789abcdef", false),
            List.of("close Undetermined from-ticket")),
        Arguments.of(
            "open, ticket resolved by a trusted group: closed as the SOC's decision",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Active")),
            resolvedBy("0123456789abcdef0123456789abcdef", true),
            List.of("close Undetermined")),
        Arguments.of(
            "closed FalsePositive: its active MDC alerts dismissed, its open ticket resolved",
            DEFAULT,
            closed("FalsePositive"),
            List.of(mdc("a1", "Active"), mdc("a2", "Dismissed"), mde("m1")),
            OPEN_TICKET,
            List.of("dismiss a1", "resolve-ticket")),
        Arguments.of(
            "closed TruePositive: its active MDC alerts resolved",
            DEFAULT,
            closed("TruePositive"),
            List.of(mdc("a1", "InProgress")),
            null,
            List.of("resolve a1")),
        Arguments.of(
            "closed from an untrusted ticket: no alert touched, said so",
            DEFAULT,
            new Incident(true, "Undetermined", true, "Closed"),
            List.of(mdc("a1", "Active")),
            resolvedBy(null, false),
            List.of("held close-alerts")),
        Arguments.of(
            "closed, an MDC alert of unknown state: left alone, and said so",
            DEFAULT,
            closed("FalsePositive"),
            List.of(mdc("a1", null), mdc("a2", "Active")),
            null,
            List.of("dismiss a2", "left a1")),
        Arguments.of(
            "closed BenignPositive or Undetermined: dismissed",
            DEFAULT,
            closed("Undetermined"),
            List.of(mdc("a1", "Active")),
            null,
            List.of("dismiss a1")),
        Arguments.of(
            "closed, an unreadable MDC alert: nothing done to it",
            DEFAULT,
            closed("BenignPositive"),
            List.of(unreadable("a1")),
            null,
            List.of()),
        Arguments.of(
            "reopened: not closed again even with every alert dismissed",
            DEFAULT,
            new Incident(false, null, false, "Closed"),
            List.of(mdc("a1", "Dismissed")),
            resolvedBy(null, false),
            List.of()),
        Arguments.of(
            "reopened with reopen-alerts on: dismissed alerts activated",
            WITH_REOPEN,
            new Incident(false, null, false, "Closed"),
            List.of(mdc("a1", "Dismissed"), mdc("a2", "Resolved")),
            null,
            List.of("activate a1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theRulesDecide(
      String name,
      ReconcileSettings rules,
      Incident incident,
      List<Alert> alerts,
      Ticket ticket,
      List<String> expected) {
    assertEquals(expected, shortly(ReconcileRules.decide(rules, incident, alerts, ticket)), name);
  }
}
