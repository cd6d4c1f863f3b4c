package org.sentinelplaybooks.playbooks.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sentinelplaybooks.clients.defender.MdcAlertId;
import org.sentinelplaybooks.clients.graph.XdrAlert;
import org.sentinelplaybooks.clients.resourcegraph.AlertState;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.Alert;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.Change;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.ChangeAlert;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.CloseIncident;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.Held;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.Incident;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.ResolveTicket;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileRules.Ticket;

/** The rules as a table: what is known of an incident in, the changes (in short) out. */
class ReconcileRulesTest {
  static final ReconcileSettings DEFAULT =
      new ReconcileSettings(
          ReconcileSettings.DEFAULT_RULES, Duration.ofMinutes(15), Duration.ofDays(1), Set.of());
  static final ReconcileSettings WITH_REOPEN =
      new ReconcileSettings(
          java.util.EnumSet.allOf(ReconcileRule.class),
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

  /** A Defender XDR alert as Graph gives it (null status: not found). */
  static Alert xdr(String id, String status, String classification) {
    return Alert.ofDefenderXdr(
        id,
        status == null
            ? null
            : new XdrAlert(
                id,
                id,
                "31337",
                status,
                classification,
                "other",
                "microsoftDefenderForEndpoint",
                id));
  }

  static Incident ownedByDefenderXdr(String classification) {
    return new Incident(true, classification, "Closed", true);
  }

  static Incident open() {
    return new Incident(false, null, null);
  }

  static Incident closed(String classification) {
    return new Incident(true, classification, "Closed");
  }

  static Ticket resolved(boolean trusted) {
    return new Ticket(true, false, "INC0010001", "done", "user-sys-id", trusted);
  }

  static final Ticket OPEN_TICKET = new Ticket(false, false, "INC0010001", null, null, false);
  static final Ticket CANCELLED_TICKET = new Ticket(false, true, "INC0010001", null, null, false);

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
      } else if (change instanceof ReconcileRules.ResolveXdrAlert xdr) {
        out.add("resolve-xdr " + xdr.alert().id());
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
            "open, MDC dismissed, XDR resolved as a true positive: closed as Undetermined",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), xdr("da1", "resolved", "truePositive")),
            null,
            List.of("close Undetermined")),
        Arguments.of(
            "open, MDC and XDR both resolved as true positives: closed as TruePositive",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Resolved"), xdr("da1", "resolved", "truePositive")),
            null,
            List.of("close TruePositive")),
        Arguments.of(
            "open, MDC resolved, XDR resolved as a false positive: Undetermined, not TruePositive",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Resolved"), xdr("da1", "resolved", "falsePositive")),
            null,
            List.of("close Undetermined")),
        Arguments.of(
            "open, MDC dismissed, XDR alert in progress: nothing",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), xdr("da1", "inProgress", "unknown")),
            null,
            List.of()),
        Arguments.of(
            "open, MDC dismissed, XDR alert not found: kept open, and said so",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Dismissed"), xdr("da1", null, null)),
            null,
            List.of("held close")),
        Arguments.of(
            "closed TruePositive, XDR alert new: resolved in XDR",
            DEFAULT,
            closed("TruePositive"),
            List.of(xdr("da1", "new", "unknown"), xdr("da2", "resolved", "truePositive")),
            null,
            List.of("resolve-xdr da1")),
        Arguments.of(
            "closed, Defender XDR owns the incident: its alerts are left to it",
            DEFAULT,
            ownedByDefenderXdr("FalsePositive"),
            List.of(xdr("da1", "new", "unknown")),
            null,
            List.of("held close-xdr-alerts")),
        Arguments.of(
            "closed from an untrusted ticket: the XDR alert is left to the SOC",
            DEFAULT,
            new Incident(true, "Undetermined", ReconcileRules.STATUS_CLOSED_FROM_TICKET),
            List.of(xdr("da1", "new", "unknown")),
            null,
            List.of("held close-xdr-alerts")),
        Arguments.of(
            "open, ticket resolved by an untrusted group: closed, marked from-ticket",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Active")),
            resolved(false),
            List.of("close Undetermined from-ticket")),
        Arguments.of(
            "open, ticket resolved by a trusted group: closed as the SOC's decision",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Active")),
            resolved(true),
            List.of("close Undetermined")),
        Arguments.of(
            "open, ticket cancelled: not closed, said so",
            DEFAULT,
            open(),
            List.of(mdc("a1", "Active")),
            CANCELLED_TICKET,
            List.of("held close")),
        Arguments.of(
            "closed, ticket cancelled: the ticket is left as it is",
            DEFAULT,
            closed("FalsePositive"),
            List.of(),
            CANCELLED_TICKET,
            List.of()),
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
            new Incident(true, "Undetermined", ReconcileRules.STATUS_CLOSED_FROM_TICKET),
            List.of(mdc("a1", "Active")),
            resolved(false),
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
            new Incident(false, null, "Closed"),
            List.of(mdc("a1", "Dismissed")),
            resolved(false),
            List.of()),
        Arguments.of(
            "reopened with reopen-alerts on: dismissed alerts activated",
            WITH_REOPEN,
            new Incident(false, null, "Closed"),
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
