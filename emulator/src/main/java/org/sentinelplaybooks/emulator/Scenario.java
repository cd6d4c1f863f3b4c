package org.sentinelplaybooks.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The state the emulator starts from, a JSON object with any of these keys:
 *
 * <ul>
 *   <li>{@code "sentinel": {"incidents": [{id, name, properties, alerts[], entities[],
 *       comments[]}]}}
 *   <li>{@code "defenderForCloud": {"alerts": [alert resources], "suppressionRules": [rule
 *       resources]}}
 *   <li>{@code "entra": {"users": [...], "groups": [{id, members[]}], "directoryRoles": [{id,
 *       roleTemplateId, displayName, members[]}], "riskyUsers": [...], "namedLocations":
 *       [ipNamedLocation]}}
 *   <li>{@code "serviceNow": {"incidents": [records with sys_id]}}
 *   <li>{@code "network": {"networkSecurityGroups": [NSG resources with properties.securityRules],
 *       "ipGroups": [IP Group resources]}}
 *   <li>{@code "defenderForEndpoint": {"indicators": [indicators]}}
 * </ul>
 *
 * Read-only fields a resource lacks (etag, type, provisioningState, times, ids) are filled in.
 */
public final class Scenario {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The resource group of the Defender for Cloud alerts {@link #generated} makes. */
  public static final String GENERATED_RESOURCE_GROUP = "rg-generated";

  /** The location of the Defender for Cloud alerts {@link #generated} makes. */
  public static final String GENERATED_LOCATION = "westeurope";

  /** The open Defender for Cloud alert statuses; the others are Dismissed and Resolved. */
  public static final List<String> OPEN_MDC_STATUSES = List.of("Active", "InProgress");

  private static final Pattern WORKSPACE =
      Pattern.compile(
          "^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.OperationalInsights"
              + "/workspaces/([^/]+)$",
          Pattern.CASE_INSENSITIVE);
  private static final List<String> INCIDENT_STATUSES = List.of("New", "Active", "Closed");
  private static final List<String> CLASSIFICATIONS =
      List.of("TruePositive", "BenignPositive", "FalsePositive", "Undetermined");
  private static final List<List<String>> REASONS =
      List.of(
          List.of("SuspiciousActivity"),
          List.of("SuspiciousButExpected"),
          List.of("IncorrectAlertLogic", "InaccurateData"),
          List.of());
  private static final List<String> SEVERITIES = List.of("High", "Medium", "Low", "Informational");
  private static final List<String[]> ALERT_KINDS =
      List.of(
          new String[] {"VM_SshBruteForceSuccess", "Successful SSH brute force attack"},
          new String[] {"VM_SuspiciousCommandLine", "Suspicious command line after SSH login"},
          new String[] {"SQL.DB_BruteForce", "Brute force attempt on SQL server"},
          new String[] {"ARM_AnomalousOperation", "Anomalous resource management operation"},
          new String[] {
            "Storage.Blob_AnonymousAccessAnomaly", "Anonymous access to a storage account"
          });

  private final ObjectNode root;

  private Scenario(ObjectNode root) {
    this.root = root;
  }

  public static Scenario empty() {
    return new Scenario(MAPPER.createObjectNode());
  }

  public static Scenario fromJson(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("a scenario is a JSON object");
      }
      return new Scenario((ObjectNode) node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the scenario is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static Scenario fromResource(String classpathResource) {
    try (InputStream in = Scenario.class.getResourceAsStream(classpathResource)) {
      if (in == null) {
        throw new IllegalArgumentException("no scenario resource " + classpathResource);
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A scenario shipped with the emulator, e.g. {@code attack}. */
  public static Scenario builtIn(String name) {
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("'" + name + "' is not a built-in scenario name");
    }
    return fromResource("/scenarios/" + name + ".json");
  }

  /** The scenario as JSON, in the form {@link #fromJson} reads. */
  public String toJson() {
    return root.toString();
  }

  /**
   * A large scenario, the same for the same seed and {@code now}: {@code incidents} Sentinel
   * incidents in the workspace (names are UUIDs drawn from the seed, incidentNumber 1..n, created
   * and last modified within the 7 days before {@code now}, minus the first hour), each with {@code
   * alertsPerIncident} Sentinel SecurityAlerts linked as in the attack scenario (productName "Azure
   * Security Center", providerAlertId = the alert's name, an AzureResource resourceIdentifier) to
   * one Defender for Cloud alert each, in {@code mdcSubscriptionId}, resource group {@value
   * #GENERATED_RESOURCE_GROUP}, location {@value #GENERATED_LOCATION}.
   *
   * <p>The mix: incident {@code i} (0-based) takes combination {@code i % 9} of status (New,
   * Active, Closed; {@code combination / 3}) and its alerts (all closed, some open, all open;
   * {@code combination % 3}), so any nine consecutive incidents cover all nine. With one alert per
   * incident "some open" is impossible, and the cycle is the six others ({@code i % 6}: New,
   * Active, Closed, each with all closed then all open). Closed incidents take the classifications
   * TruePositive, BenignPositive, FalsePositive, Undetermined in turn, each with a reason Sentinel
   * accepts for it (drawn from the valid ones; none for Undetermined). The rest is drawn from the
   * seed: "some open" opens between 1 and all-but-one of the alerts; an open alert is Active or
   * InProgress, a closed one Dismissed or Resolved (the Sentinel SecurityAlert's status mirrors it:
   * New, InProgress, Dismissed, Resolved); severities, titles and times.
   */
  public static Scenario generated(
      long seed,
      Instant now,
      String workspaceArmId,
      String mdcSubscriptionId,
      int incidents,
      int alertsPerIncident) {
    Matcher workspace = WORKSPACE.matcher(workspaceArmId == null ? "" : workspaceArmId);
    if (!workspace.matches()) {
      throw new IllegalArgumentException("not a Log Analytics workspace ARM id: " + workspaceArmId);
    }
    if (mdcSubscriptionId == null || !mdcSubscriptionId.matches("[0-9A-Za-z-]+")) {
      throw new IllegalArgumentException("not a subscription id: " + mdcSubscriptionId);
    }
    if (incidents < 0 || alertsPerIncident < 1) {
      throw new IllegalArgumentException(
          "incidents cannot be negative and each incident needs at least one alert");
    }
    Draws draws = new Draws(seed);
    ObjectNode root = MAPPER.createObjectNode();
    root.put(
        "description",
        "Generated (seed "
            + seed
            + "): "
            + incidents
            + " incidents with "
            + alertsPerIncident
            + " Defender for Cloud alerts each.");
    ArrayNode incidentList = root.putObject("sentinel").putArray("incidents");
    ArrayNode mdcAlerts = root.putObject("defenderForCloud").putArray("alerts");
    int combinations = alertsPerIncident >= 2 ? 9 : 6;
    int closedCount = 0;
    long windowSeconds = Duration.ofDays(7).minusHours(1).toSeconds();
    for (int i = 0; i < incidents; i++) {
      int combination = i % combinations;
      String status = INCIDENT_STATUSES.get(combinations == 9 ? combination / 3 : combination % 3);
      // 0: all closed, 1: some open, 2: all open
      int openness = combinations == 9 ? combination % 3 : (combination < 3 ? 0 : 2);
      int open =
          switch (openness) {
            case 0 -> 0;
            case 1 -> 1 + draws.below(alertsPerIncident - 1);
            default -> alertsPerIncident;
          };
      List<Boolean> isOpen = new ArrayList<>();
      for (int a = 0; a < alertsPerIncident; a++) {
        isOpen.add(a < open);
      }
      for (int a = alertsPerIncident - 1; a > 0; a--) {
        int b = draws.below(a + 1);
        Boolean swap = isOpen.get(a);
        isOpen.set(a, isOpen.get(b));
        isOpen.set(b, swap);
      }

      String incidentName = draws.uuid().toString();
      String incidentId =
          workspaceArmId + "/providers/Microsoft.SecurityInsights/incidents/" + incidentName;
      Instant created = now.minusSeconds(1 + draws.below((int) windowSeconds));
      Instant modified =
          created.plusSeconds(
              draws.below(
                  (int) Math.min(12 * 3600, now.getEpochSecond() - created.getEpochSecond())));
      String severity = SEVERITIES.get(draws.below(SEVERITIES.size()));
      String[] kind = ALERT_KINDS.get(draws.below(ALERT_KINDS.size()));
      String vm = String.format(Locale.ROOT, "vm-gen-%03d", i % 1000);
      String resourceId =
          "/subscriptions/"
              + mdcSubscriptionId
              + "/resourceGroups/"
              + GENERATED_RESOURCE_GROUP
              + "/providers/Microsoft.Compute/virtualMachines/"
              + vm;

      ObjectNode incident = incidentList.addObject();
      incident.put("id", incidentId);
      incident.put("name", incidentName);
      ObjectNode properties = incident.putObject("properties");
      properties.put("title", kind[1] + " on " + vm);
      properties.put(
          "description", "Generated incident " + (i + 1) + ": " + kind[1] + " on " + vm + ".");
      properties.put("severity", severity);
      properties.put("status", status);
      if (status.equals("Closed")) {
        int c = closedCount++ % CLASSIFICATIONS.size();
        properties.put("classification", CLASSIFICATIONS.get(c));
        List<String> reasons = REASONS.get(c);
        if (!reasons.isEmpty()) {
          properties.put("classificationReason", reasons.get(draws.below(reasons.size())));
        }
        properties.put("classificationComment", "Closed by the generator.");
      }
      properties.putArray("labels");
      properties.put("firstActivityTimeUtc", created.minusSeconds(600).toString());
      properties.put("lastActivityTimeUtc", created.minusSeconds(60).toString());
      properties.put("createdTimeUtc", created.toString());
      properties.put("lastModifiedTimeUtc", modified.toString());
      properties.put("incidentNumber", i + 1);
      properties.put(
          "incidentUrl",
          "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident"
              + incidentId);
      properties.put("providerName", "Azure Sentinel");
      properties.put("providerIncidentId", Integer.toString(i + 1));
      ObjectNode additional = properties.putObject("additionalData");
      additional.put("alertsCount", alertsPerIncident);
      additional.put("bookmarksCount", 0);
      additional.put("commentsCount", 0);
      additional.putArray("alertProductNames").add("Azure Security Center");
      additional.putArray("tactics").add("CredentialAccess");
      ArrayNode alerts = incident.putArray("alerts");
      incident.putArray("entities");

      for (int a = 0; a < alertsPerIncident; a++) {
        String mdcStatus =
            isOpen.get(a)
                ? OPEN_MDC_STATUSES.get(draws.below(2))
                : (draws.below(2) == 0 ? "Dismissed" : "Resolved");
        String alertName =
            String.format(
                Locale.ROOT,
                "%019d_%s",
                2517538000000000000L + draws.below(1_000_000_000),
                draws.uuid());
        String alertPath =
            "/subscriptions/"
                + mdcSubscriptionId
                + "/resourceGroups/"
                + GENERATED_RESOURCE_GROUP
                + "/providers/Microsoft.Security/locations/"
                + GENERATED_LOCATION
                + "/alerts/"
                + alertName;
        String alertLink =
            "https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/"
                + alertName
                + "/subscriptionId/"
                + mdcSubscriptionId
                + "/resourceGroup/"
                + GENERATED_RESOURCE_GROUP
                + "/referencedFrom/alertDeepLink/location/"
                + GENERATED_LOCATION;
        String alertTime = created.minusSeconds(30).toString();

        ObjectNode mdc = mdcAlerts.addObject();
        mdc.put("id", alertPath);
        mdc.put("name", alertName);
        mdc.put("type", "Microsoft.Security/Locations/alerts");
        ObjectNode mdcProperties = mdc.putObject("properties");
        mdcProperties.put("version", "2022-01-01");
        mdcProperties.put("alertType", kind[0]);
        mdcProperties.put("systemAlertId", alertName);
        mdcProperties.put("alertDisplayName", kind[1]);
        mdcProperties.put("description", kind[1] + " on " + vm + ".");
        mdcProperties.put("severity", severity.equals("Informational") ? "Low" : severity);
        mdcProperties.put("intent", "CredentialAccess");
        mdcProperties.put("startTimeUtc", created.minusSeconds(600).toString());
        mdcProperties.put("endTimeUtc", created.minusSeconds(60).toString());
        mdcProperties
            .putArray("resourceIdentifiers")
            .addObject()
            .put("azureResourceId", resourceId)
            .put("type", "AzureResource");
        mdcProperties.put("vendorName", "Microsoft");
        mdcProperties.put("status", mdcStatus);
        mdcProperties.put("alertUri", alertLink);
        mdcProperties.put("timeGeneratedUtc", alertTime);
        mdcProperties.put("productName", "Azure Security Center");
        mdcProperties.put("compromisedEntity", vm);
        mdcProperties.putArray("entities");
        mdcProperties.put("isIncident", false);

        String sentinelAlertName = draws.uuid().toString();
        ObjectNode alert = alerts.addObject();
        alert.put(
            "id",
            workspaceArmId + "/providers/Microsoft.SecurityInsights/Entities/" + sentinelAlertName);
        alert.put("name", sentinelAlertName);
        alert.put("type", "Microsoft.SecurityInsights/Entities");
        alert.put("kind", "SecurityAlert");
        ObjectNode alertProperties = alert.putObject("properties");
        alertProperties.put("systemAlertId", sentinelAlertName);
        alertProperties.putArray("tactics").add("CredentialAccess");
        alertProperties.put("alertDisplayName", kind[1]);
        alertProperties.put("confidenceLevel", "Unknown");
        alertProperties.put("severity", mdcProperties.path("severity").asText());
        alertProperties.put("vendorName", "Microsoft");
        alertProperties.put("productName", "Azure Security Center");
        alertProperties.put("alertType", kind[0]);
        alertProperties.put("status", mdcStatus.equals("Active") ? "New" : mdcStatus);
        alertProperties.put("startTimeUtc", created.minusSeconds(600).toString());
        alertProperties.put("endTimeUtc", created.minusSeconds(60).toString());
        alertProperties.put("timeGenerated", alertTime);
        alertProperties.put("providerAlertId", alertName);
        ArrayNode identifiers = alertProperties.putArray("resourceIdentifiers");
        identifiers.addObject().put("type", "AzureResource").put("resourceId", resourceId);
        identifiers
            .addObject()
            .put("type", "LogAnalytics")
            .put("workspaceId", new UUID(seed, workspace.group(3).hashCode()).toString())
            .put("subscriptionId", workspace.group(1))
            .put("resourceGroup", workspace.group(2));
        alertProperties.putObject("additionalData").put("ProcessedBySentinel", "True");
        alertProperties.put("friendlyName", kind[1]);
        alertProperties.put("alertLink", alertLink);
      }
    }
    return new Scenario(root);
  }

  /** SplitMix64: a small, fixed generator, so a seed gives the same scenario on every JVM. */
  private static final class Draws {
    private long state;

    Draws(long seed) {
      this.state = seed;
    }

    long next() {
      long z = (state += 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /** A number in [0, bound), bound at least 1. */
    int below(int bound) {
      return (int) Long.remainderUnsigned(next(), Math.max(1, bound));
    }

    UUID uuid() {
      long high = (next() & ~0xF000L) | 0x4000L;
      long low = (next() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(high, low);
    }
  }

  ObjectNode root() {
    return root.deepCopy();
  }
}
