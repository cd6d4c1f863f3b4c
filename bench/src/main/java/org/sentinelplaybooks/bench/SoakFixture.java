package org.sentinelplaybooks.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.sentinelplaybooks.cli.DemoScenario;
import org.sentinelplaybooks.clients.network.Cidr;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;

/**
 * What the soak starts from: the attack scenario (its users, protected group and enforcement
 * points) plus generated incidents, each with an attacker address, sometimes an address on the
 * never-block list, one of {@link #USERS} risky users and sometimes the protected administrator as
 * well.
 */
record SoakFixture(Scenario scenario, List<SoakFixture.Target> targets) {
  static final int ALERTS_PER_INCIDENT = 2;
  static final int USERS = 24;
  static final String NEVER_BLOCK = "192.0.2.0/24";
  private static final String MDC_SUBSCRIPTION = "3c4d5e6f-7081-4923-8b4c-5d6e7f809102";

  SoakFixture {
    targets = List.copyOf(targets);
  }

  /** A generated incident and what the runs on it should leave behind. */
  record Target(
      String id,
      Instant created,
      List<String> alertNames,
      Cidr attacker,
      Cidr neverBlocked,
      String user,
      boolean namesProtectedUser) {

    String name() {
      return id.substring(id.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
  }

  static SoakFixture build(long seed, int incidents) {
    ObjectNode root = parse(Scenario.builtIn(DemoScenario.NAME).toJson());
    ObjectNode generated =
        parse(
            Scenario.generated(
                    seed,
                    Instant.now().truncatedTo(ChronoUnit.HOURS),
                    DemoScenario.WORKSPACE,
                    MDC_SUBSCRIPTION,
                    incidents,
                    ALERTS_PER_INCIDENT)
                .toJson());
    ObjectNode entra = root.withObjectProperty("entra");
    for (int u = 0; u < USERS; u++) {
      String upn = String.format(Locale.ROOT, "soak.user%02d@contoso.com", u);
      entra
          .withArrayProperty("users")
          .addObject()
          .put("id", userId(u))
          .put("userPrincipalName", upn)
          .put("displayName", "Soak user " + u)
          .put("userType", "Member")
          .put("accountEnabled", true)
          .put("onPremisesSyncEnabled", false)
          .put("signInSessionsValidFromDateTime", "2024-01-10T08:00:00Z")
          .put("lastPasswordChangeDateTime", "2024-01-10T08:00:00Z");
      entra
          .withArrayProperty("riskyUsers")
          .addObject()
          .put("id", userId(u))
          .put("userPrincipalName", upn)
          .put("riskLevel", "medium")
          .put("riskState", "atRisk")
          .put("riskDetail", "none")
          .put("riskLastUpdatedDateTime", "2024-05-14T10:19:00Z");
    }
    List<Target> targets = new ArrayList<>();
    ArrayNode incidentList = root.withObjectProperty("sentinel").withArrayProperty("incidents");
    int i = 0;
    for (JsonNode node : generated.path("sentinel").path("incidents")) {
      ObjectNode incident = (ObjectNode) node.deepCopy();
      Target target = target(incident, i++);
      ArrayNode entities = incident.putArray("entities");
      entities.add(ipEntity(target, 1, target.attacker()));
      if (target.neverBlocked() != null) {
        entities.add(ipEntity(target, 2, target.neverBlocked()));
      }
      entities.add(accountEntity(target, 3, target.user()));
      if (target.namesProtectedUser()) {
        entities.add(accountEntity(target, 4, DemoScenario.PROTECTED_USER));
      }
      incidentList.add(incident);
      targets.add(target);
    }
    root.withObjectProperty("defenderForCloud")
        .withArrayProperty("alerts")
        .addAll((ArrayNode) generated.path("defenderForCloud").path("alerts"));
    return new SoakFixture(Scenario.fromJson(root.toString()), List.copyOf(targets));
  }

  private static Target target(ObjectNode incident, int i) {
    List<String> alertNames = new ArrayList<>();
    incident
        .path("alerts")
        .forEach(a -> alertNames.add(a.path("properties").path("providerAlertId").asText()));
    return new Target(
        incident.path("id").asText(),
        Instant.parse(incident.path("properties").path("createdTimeUtc").asText()),
        List.copyOf(alertNames),
        Cidr.parse("203.0.113." + (1 + i % 250)),
        i % 4 == 0 ? Cidr.parse("192.0.2." + (1 + i % 250)) : null,
        userId(i % USERS),
        i % 5 == 0);
  }

  private static ObjectNode ipEntity(Target target, int n, Cidr address) {
    ObjectNode entity = entity(target, n, "Ip");
    entity
        .putObject("properties")
        .put("address", address.address())
        .put("friendlyName", address.address());
    return entity;
  }

  private static ObjectNode accountEntity(Target target, int n, String userId) {
    ObjectNode entity = entity(target, n, "Account");
    entity.putObject("properties").put("aadUserId", userId).put("friendlyName", userId);
    return entity;
  }

  private static ObjectNode entity(Target target, int n, String kind) {
    String name =
        UUID.nameUUIDFromBytes((target.name() + "/" + n).getBytes(StandardCharsets.UTF_8))
            .toString();
    ObjectNode entity = PlaybookJson.object();
    entity
        .put(
            "id", DemoScenario.WORKSPACE + "/providers/Microsoft.SecurityInsights/Entities/" + name)
        .put("name", name)
        .put("type", "Microsoft.SecurityInsights/Entities")
        .put("kind", kind);
    return entity;
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) PlaybookJson.read(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a scenario that is not JSON", e);
    }
  }

  static String userId(int u) {
    return String.format(Locale.ROOT, "5e5e0000-0000-4000-8000-%012d", u);
  }
}
