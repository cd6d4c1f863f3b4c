package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.block.BlockIpOptions;
import org.sentinelplaybooks.playbooks.close.CloseIncidentOptions;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.core.PlaybookOptions;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileProgress;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the emulator seeded with an attack, the playbooks run on it over HTTP with the real
 * clients, and what each system looked like before and after.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the playbooks on the built-in attack scenario in the embedded emulator (no Azure needed).")
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--latency",
      defaultValue = "0",
      paramLabel = "MS",
      description = "Latency the emulator adds to every call, in ms.")
  long latencyMillis;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log each step to stderr.")
  boolean verbose;

  /** Hears each step's requests as the emulator recorded them (tests look at what went out). */
  Consumer<List<RecordedRequest>> requestsSeen = requests -> {};

  @Override
  public Integer call() {
    CliLogging.configure(verbose);
    PrintWriter out = spec.commandLine().getOut();
    try (EmbeddedEmulator embedded =
        EmbeddedEmulator.start(
            Scenario.builtIn(DemoScenario.NAME), Map.of(), ClientOptions.defaults())) {
      Emulator emulator = embedded.emulator;
      Playbooks playbooks = embedded.playbooks;
      emulator.faults().setLatency(Duration.ofMillis(latencyMillis));
      out.println("Emulator on " + emulator.baseUrl() + ", scenario '" + DemoScenario.NAME + "'.");
      out.println(
          "Sentinel, Defender for Cloud and ServiceNow live in the emulator's memory, and the ticket"
              + " links in this process's: nothing leaves this machine, no Azure account is used.");
      out.println();
      printState(out, emulator, "Before");

      PlaybookSettings settings = playbooks.settings();
      PlaybookRequest incident =
          PlaybookRequest.of(PlaybookJson.object().put("incidentId", DemoScenario.INCIDENT));
      ConfirmRiskyUserOptions contain = ConfirmRiskyUserOptions.of(null, null, settings);
      BlockIpOptions block = BlockIpOptions.of(null, null, settings);
      CloseIncidentOptions close =
          CloseIncidentOptions.of(
              "TruePositive",
              null,
              "SSH brute force from 203.0.113.45 confirmed; attacker blocked at the edge.",
              true,
              false,
              null,
              null,
              settings);

      step(out, "1. create-ticket: one ServiceNow incident, linked both ways");
      PlaybookResult created =
          run(out, emulator, playbooks, incident, CreateTicketOptions.NONE, false);

      step(
          out,
          "2. confirm-risky-user: confirm the incident's user compromised, revoke sessions, reset the password");
      PlaybookResult identity = run(out, emulator, playbooks, incident, contain, false);

      step(
          out,
          "3. block-ip: block the attacker's address on the NSG, the firewall's IP Group, the"
              + " named location and as a Defender for Endpoint indicator, for 7 days");
      PlaybookResult blocked = run(out, emulator, playbooks, incident, block, false);

      step(out, "4. close-incident, dry run: plans, writes nothing");
      PlaybookResult planned = run(out, emulator, playbooks, incident, close, true);

      step(
          out,
          "5. close-incident (TruePositive): resolve the Defender for Cloud and Defender XDR alerts, close the incident, resolve the ticket");
      PlaybookResult closed = run(out, emulator, playbooks, incident, close, false);
      printState(out, emulator, "After");

      step(out, "6. all again: everything is already done, nothing is written");
      PlaybookResult identityAgain = run(out, emulator, playbooks, incident, contain, false);
      PlaybookResult blockedAgain = run(out, emulator, playbooks, incident, block, false);
      PlaybookResult again =
          run(out, emulator, playbooks, incident, CreateTicketOptions.NONE, false);
      PlaybookResult closedAgain = run(out, emulator, playbooks, incident, close, false);

      step(
          out,
          "7. close-incident on a false positive: the EICAR test alert of incident #4219, closed"
              + " as FalsePositive with a suppression of similar alerts for 14 days");
      emulator
          .state()
          .putIncident(
              DemoScenario.testAlertIncident(), List.of(DemoScenario.testAlertEntity()), List.of());
      PlaybookRequest testAlert =
          PlaybookRequest.of(
              PlaybookJson.object().put("incidentId", DemoScenario.TEST_ALERT_INCIDENT));
      CloseIncidentOptions suppress =
          CloseIncidentOptions.of(
              "FalsePositive",
              null,
              "EICAR file dropped by the monthly antivirus check.",
              true,
              true,
              "P14D",
              null,
              settings);
      PlaybookResult suppressed = run(out, emulator, playbooks, testAlert, suppress, false);

      step(out, "8. the test alert fires again: Defender for Cloud dismisses it as it arrives");
      ObjectNode raised = DemoScenario.testAlertAgain();
      emulator.state().putMdcAlert(raised);
      String raisedStatus =
          emulator
              .state()
              .mdcAlert(raised.path("id").asText())
              .map(a -> a.path("properties").path("status").asText())
              .orElse("missing");
      out.printf(
          "  New VM_EICAR alert arrives %s  (%s)%n",
          raisedStatus, shorten(raised.path("id").asText()));
      for (ObjectNode rule : emulator.state().suppressionRules()) {
        JsonNode p = rule.path("properties");
        out.printf(
            "  Suppression rule   %s %s %s until %s%n",
            rule.path("name").asText(),
            p.path("state").asText(),
            p.path("alertType").asText(),
            p.path("expirationDateUtc").asText());
      }
      PlaybookResult suppressedAgain = run(out, emulator, playbooks, testAlert, suppress, false);

      step(out, "9. reconcile: the workspace is in step, its checkpoint moves on");
      emulator.clearRequests();
      ReconcileReport reconciled =
          playbooks
              .reconcile(
                  new ReconcileOptions(WorkspaceId.parse(DemoScenario.WORKSPACE), null, false),
                  DEMO_LOG,
                  UUID.randomUUID().toString(),
                  ReconcileProgress.NONE)
              .get(0);
      requestsSeen.accept(emulator.requests());
      out.printf(
          "reconcile: %s, %d incident(s), %d change(s)%n",
          reconciled.status().wireName(), reconciled.incidents(), reconciled.count(Outcome.DONE));

      out.println();
      out.println(
          "What the app's state says now (this demo keeps it in memory; `status` reads Azure Tables):");
      StatusPrinter.print(
          out,
          playbooks.status(playbooks.clock().instant()),
          SuppressionsCommand.read(
              embedded.clients.defenderForCloud(),
              List.of(DemoScenario.TEST_ALERT_SUBSCRIPTION),
              false,
              out),
          OutputFormat.text);

      boolean ok =
          suppressed.status() == RunStatus.SUCCEEDED
              && suppressed.actions().stream()
                      .filter(a -> a.action().equals("suppress") && a.outcome() == Outcome.DONE)
                      .count()
                  == 1
              && "Dismissed".equals(raisedStatus)
              && suppressedAgain.count(Outcome.DONE) == 0
              && created.status() == RunStatus.SUCCEEDED
              && reconciled.status() == RunStatus.SUCCEEDED
              && identity.status() == RunStatus.SUCCEEDED
              && identityAgain.count(Outcome.DONE) == 0
              && blocked.status() == RunStatus.SUCCEEDED
              && blockedAgain.count(Outcome.DONE) == 0
              && planned.count(Outcome.PLANNED) > 0
              && closed.status() == RunStatus.SUCCEEDED
              && again.count(Outcome.DONE) + closedAgain.count(Outcome.DONE) == 0
              && emulator.state().xdrAlerts().stream()
                  .allMatch(a -> "resolved".equals(a.path("status").asText()))
              && emulator
                  .state()
                  .incident(DemoScenario.INCIDENT)
                  .map(i -> "Closed".equals(i.path("properties").path("status").asText()))
                  .orElse(false);
      out.println(
          ok
              ? "Demo finished: the user is contained, the attacker blocked, the incident closed, its alerts and its ticket resolved.\nThe false positive is closed and its detection suppressed for 14 days, with an expiry and the incident named."
              : "Demo finished with problems: see above.");
      out.flush();
      return ok ? Main.SUCCEEDED : Main.FAILED;
    }
  }

  /** The demo's log, where its runs' events go (shown with --verbose). */
  private static final Logger DEMO_LOG = Logger.getLogger("demo");

  private static void step(PrintWriter out, String title) {
    out.println();
    out.println("== " + title);
  }

  private PlaybookResult run(
      PrintWriter out,
      Emulator emulator,
      Playbooks playbooks,
      PlaybookRequest incident,
      PlaybookOptions options,
      boolean dryRun) {
    emulator.clearRequests();
    Instant start = playbooks.clock().instant();
    PlaybookResult result =
        playbooks.run(options.playbook(), incident, () -> options, dryRun, DEMO_LOG);
    Duration took = Duration.between(start, playbooks.clock().instant());
    ResultPrinter.print(out, result, OutputFormat.text);
    List<RecordedRequest> requests = emulator.requests();
    requestsSeen.accept(requests);
    long writes = requests.stream().filter(RecordedRequest::isWrite).count();
    out.printf(
        "  timeline: %d calls (%d writes) in %d ms%n", requests.size(), writes, took.toMillis());
    for (RecordedRequest call : requests) {
      out.printf(
          "    +%4d ms  %-4s %-3d %s%n",
          Math.max(0, Duration.between(start, call.receivedAt()).toMillis()),
          call.method(),
          call.status(),
          shorten(call.path()));
    }
    out.flush();
    return result;
  }

  private static void printState(PrintWriter out, Emulator emulator, String when) {
    out.println(when + ":");
    emulator
        .state()
        .incident(DemoScenario.INCIDENT)
        .ifPresent(
            incident -> {
              JsonNode p = incident.path("properties");
              out.printf(
                  "  Sentinel incident #%s %-8s %s%s  labels=%s owner=%s%n",
                  p.path("incidentNumber").asText(),
                  p.path("status").asText(),
                  p.path("title").asText(),
                  p.hasNonNull("classification")
                      ? " ["
                          + p.path("classification").asText()
                          + " / "
                          + p.path("classificationReason").asText("")
                          + "]"
                      : "",
                  p.path("labels").findValuesAsText("labelName"),
                  p.path("owner").path("email").asText("-"));
            });
    for (ObjectNode alert : emulator.state().mdcAlerts()) {
      out.printf(
          "  Defender for Cloud %-9s %s  (%s)%n",
          alert.path("properties").path("status").asText(),
          alert.path("properties").path("alertDisplayName").asText(),
          shorten(alert.path("id").asText()));
    }
    for (ObjectNode alert : emulator.state().xdrAlerts()) {
      out.printf(
          "  Defender XDR       %-9s %s  (%s, %s / %s)%n",
          alert.path("status").asText(),
          alert.path("title").asText(),
          alert.path("id").asText(),
          alert.path("classification").asText(),
          alert.path("determination").asText());
    }
    emulator
        .state()
        .entraUser(DemoScenario.USER)
        .ifPresent(
            user ->
                out.printf(
                    "  Entra ID           %s risk=%s sessions valid from %s, password resets %d%n",
                    user.path("userPrincipalName").asText(),
                    emulator
                        .state()
                        .riskyUser(DemoScenario.USER)
                        .map(r -> r.path("riskState").asText())
                        .orElse("none"),
                    user.path("signInSessionsValidFromDateTime").asText(),
                    user.path("passwordResets").asInt(0)));
    emulator
        .state()
        .networkSecurityGroup(DemoScenario.NSG)
        .ifPresent(
            nsg -> {
              for (JsonNode rule : nsg.path("properties").path("securityRules")) {
                JsonNode p = rule.path("properties");
                out.printf(
                    "  NSG nsg-web        %-5s %-40s priority %s from %s%n",
                    p.path("access").asText(),
                    rule.path("name").asText(),
                    p.path("priority").asText(),
                    p.has("sourceAddressPrefixes")
                        ? p.path("sourceAddressPrefixes").toString()
                        : p.path("sourceAddressPrefix").asText());
              }
            });
    emulator
        .state()
        .ipGroup(DemoScenario.IP_GROUP)
        .ifPresent(
            group ->
                out.printf(
                    "  IP Group           %s %s%n",
                    group.path("name").asText(), group.path("properties").path("ipAddresses")));
    emulator
        .state()
        .namedLocation(DemoScenario.NAMED_LOCATION)
        .ifPresent(
            location ->
                out.printf(
                    "  Named location     %s %s%n",
                    location.path("displayName").asText(),
                    location.path("ipRanges").findValuesAsText("cidrAddress")));
    out.printf(
        "  Defender for Endpoint indicators %s%n",
        emulator.state().mdeIndicators().stream()
            .map(i -> i.path("action").asText() + " " + i.path("indicatorValue").asText())
            .toList());
    List<ObjectNode> tickets = emulator.state().serviceNowIncidents();
    if (tickets.isEmpty()) {
      out.println("  ServiceNow         no incident");
    }
    for (ObjectNode ticket : tickets) {
      out.printf(
          "  ServiceNow         %s state %s  %s%s%n",
          ticket.path("number").asText(),
          ticket.path("state").asText(),
          ticket.path("short_description").asText(),
          ticket.hasNonNull("close_notes")
              ? "  [" + ticket.path("close_notes").asText() + "]"
              : "");
    }
  }

  /** Drops the long ARM prefixes so a line fits a terminal. */
  public static String shorten(String path) {
    return path.replaceFirst("^/subscriptions/([0-9a-f]{8})[0-9a-f-]*", "/subscriptions/$1…")
        .replaceFirst(
            "/providers/Microsoft\\.OperationalInsights/workspaces/([^/]+)/providers/Microsoft\\.SecurityInsights",
            "/…/$1")
        .replaceFirst("/incidents/([0-9a-f]{8})[0-9a-f-]*", "/incidents/$1…");
  }
}
