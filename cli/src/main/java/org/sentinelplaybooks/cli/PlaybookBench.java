package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/**
 * Each playbook on the attack scenario with a latency on every call: its wall time warm, its calls,
 * and its critical path, the longest chain of calls each of which started only after the one before
 * it had been answered; then the same run with every call made one after another.
 */
final class PlaybookBench {
  /** A member the scenario lacks, so that confirm-risky-user has three users to contain. */
  static final String THIRD_USER = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";

  private static final Logger LOG = Logger.getLogger("bench");

  /**
   * A playbook run to measure; {@code settle} is the time left to pass before each run, so that it
   * does not wait on a limit the run before it used up.
   */
  record Case(
      String playbook,
      String what,
      PlaybookRequest request,
      Consumer<Emulator> prepare,
      Duration settle) {}

  /** One measured run. */
  record Run(
      Duration wall,
      List<RecordedRequest> calls,
      List<RecordedRequest> criticalPath,
      String error) {
    long writes() {
      return calls.stream().filter(RecordedRequest::isWrite).count();
    }
  }

  /** The runs of one case, each way. */
  record Result(Case benchCase, List<Run> concurrent, List<Run> oneAtATime) {}

  static List<Case> cases() {
    ObjectNode close = incident();
    close.put("classification", "TruePositive");
    close.put("classificationReason", "SuspiciousActivity");
    close.put("comment", "SSH brute force confirmed.");
    ObjectNode users = incident();
    users
        .putArray("users")
        .add("jdoe@contoso.com")
        .add("asmith@contoso.com")
        .add("mwilson@contoso.com");
    return List.of(
        new Case(
            CloseIncidentPlaybook.NAME,
            "close the incident, resolve its 5 Defender for Cloud alerts",
            PlaybookRequest.of(close),
            emulator -> {},
            Duration.ZERO),
        new Case(
            BlockIpPlaybook.NAME,
            "block 203.0.113.45 on the NSG, the IP Group, the named location and MDE",
            PlaybookRequest.of(incident()),
            emulator -> {},
            Duration.ZERO),
        new Case(
            ConfirmRiskyUserPlaybook.NAME,
            "3 users: confirm compromised, revoke sessions, reset passwords",
            PlaybookRequest.of(users),
            PlaybookBench::addThirdUser,
            ServiceClients.IDENTITY_PROTECTION_INTERVAL),
        new Case(
            CreateTicketPlaybook.NAME,
            "open the ServiceNow incident, link it both ways",
            PlaybookRequest.of(incident()),
            emulator -> {},
            Duration.ZERO));
  }

  private static ObjectNode incident() {
    return Json.object().put("incidentId", DemoScenario.INCIDENT);
  }

  private static void addThirdUser(Emulator emulator) {
    ObjectNode user = emulator.state().entraUser("1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9").get();
    user.put("id", THIRD_USER);
    user.put("userPrincipalName", "mwilson@contoso.com");
    user.put("displayName", "Maria Wilson");
    emulator.state().putEntraUser(user);
  }

  /**
   * Runs every case {@code warmUp} times unmeasured, then {@code runs} times each way. The clients
   * live as long as the bench, as in a warm Functions instance; the emulator starts over before
   * every run, on the same address, so that every run has the same work to do.
   */
  static List<Result> measure(Duration latency, int warmUp, int runs, PrintWriter progress) {
    List<Result> results = new ArrayList<>();
    try (Emulator emulator = Emulator.start(Scenario.builtIn(DemoScenario.NAME))) {
      PlaybookSettings settings = PlaybookSettings.from(EmbeddedEmulator.settings(emulator));
      ServiceClients clients = ServiceClients.create(settings.clients(), ClientOptions.defaults());
      emulator.faults().setLatency(latency);
      Bench bench = new Bench(emulator, settings, clients);
      for (Case benchCase : cases()) {
        for (int i = 0; i < warmUp; i++) {
          bench.once(benchCase, false);
        }
        List<Run> concurrent = new ArrayList<>();
        List<Run> oneAtATime = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          concurrent.add(bench.once(benchCase, false));
          oneAtATime.add(bench.once(benchCase, true));
        }
        progress.printf("  %s: %d runs each way%n", benchCase.playbook(), runs);
        progress.flush();
        results.add(new Result(benchCase, concurrent, oneAtATime));
      }
    }
    return results;
  }

  private record Bench(Emulator emulator, PlaybookSettings settings, ServiceClients clients) {
    Run once(Case benchCase, boolean oneAtATime) {
      EmbeddedEmulator.reset(emulator, settings);
      benchCase.prepare().accept(emulator);
      Playbooks playbooks = EmbeddedEmulator.playbooks(settings, clients);
      sleep(benchCase.settle());
      emulator.clearRequests();
      long start = System.nanoTime();
      PlaybookResult result =
          oneAtATime
              ? Parallel.oneAtATime(() -> run(playbooks, benchCase))
              : run(playbooks, benchCase);
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      List<RecordedRequest> calls = emulator.requests();
      String error =
          result.status() == RunStatus.SUCCEEDED
              ? null
              : benchCase.playbook() + " ended " + result.status().wireName();
      return new Run(wall, calls, criticalPath(calls), error);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static PlaybookResult run(Playbooks playbooks, Case benchCase) {
    return playbooks.run(benchCase.playbook(), benchCase.request(), false, LOG);
  }

  /**
   * The chain of calls that explains the wall time: from the call answered last, back through the
   * call answered last before each was received, to the first.
   */
  static List<RecordedRequest> criticalPath(List<RecordedRequest> calls) {
    List<RecordedRequest> chain = new ArrayList<>();
    Optional<RecordedRequest> current =
        calls.stream().max(Comparator.comparing(RecordedRequest::answeredAt));
    while (current.isPresent()) {
      RecordedRequest call = current.get();
      chain.add(0, call);
      current =
          calls.stream()
              .filter(before -> !before.answeredAt().isAfter(call.receivedAt()))
              .max(Comparator.comparing(RecordedRequest::answeredAt));
    }
    return chain;
  }

  /**
   * The time the chain spent waiting on Identity Protection's limit of one call a second, which no
   * amount of concurrency takes away.
   */
  static Duration pacedWaits(List<RecordedRequest> chain) {
    Duration paced = Duration.ZERO;
    for (int i = 1; i < chain.size(); i++) {
      if (chain.get(i).path().contains("/identityProtection/")) {
        paced =
            paced.plus(Duration.between(chain.get(i - 1).answeredAt(), chain.get(i).receivedAt()));
      }
    }
    return paced;
  }
}
