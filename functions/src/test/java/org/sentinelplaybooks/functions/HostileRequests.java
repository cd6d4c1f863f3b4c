package org.sentinelplaybooks.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.playbooks.EmulatedAzure;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;

/**
 * Malformed and hostile requests for the HTTP functions. None of them is a request the functions
 * may act on: each one cannot be read as a JSON object, names no incident that exists in an allowed
 * workspace, or carries at least one option that is wrong. Options are checked before anything is
 * read or written, so none of them may change anything.
 */
final class HostileRequests {
  static final String WORKSPACE = EmulatedAzure.WORKSPACE;
  static final String INCIDENTS = "/providers/Microsoft.SecurityInsights/incidents/";

  /** The incidents of the emulator's attack scenario, both in the allowed workspace. */
  static final List<String> EXISTING_NAMES =
      List.of(
          EmulatedAzure.INCIDENT.substring(EmulatedAzure.INCIDENT.lastIndexOf('/') + 1),
          "9c1d7e52-2f0a-4b8e-a6d3-5e7f8a9b0c1d");

  static final List<String> EXISTING =
      EXISTING_NAMES.stream().map(name -> WORKSPACE + INCIDENTS + name).toList();

  /** BLOCK_NEVER of the test bed, so that addresses on it are among the refused ones. */
  static final String NEVER_BLOCKED = "192.0.2.0/24,2001:db8:ffff::/48";

  private static final String SUBSCRIPTION = WorkspaceId.parse(WORKSPACE).subscriptionId();
  private static final String RESOURCE_GROUP = "/resourceGroups/rg-sentinel/";
  private static final String WORKSPACE_NAME = "/workspaces/law-sentinel-prod";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectNode TRIGGER = parse(EmulatedAzure.triggerBody());

  /** Fields the functions read; junk fields take other names. */
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "incidentId",
          "object",
          "objectSchemaType",
          "dryRun",
          "classification",
          "classificationReason",
          "comment",
          "dismissAlerts",
          "ips",
          "ttl",
          "users",
          "actions",
          "workspace",
          "since");

  private static final List<String> NASTY_TEXT =
      List.of(
          "",
          " ",
          "\t\r\n",
          "{}",
          "null",
          "undefined",
          "NaN",
          "Infinity",
          "-0",
          "0x1F",
          "1e309",
          "true",
          "[]",
          "\"\"",
          "' OR '1'='1",
          "\"; DROP TABLE incidents; --",
          "<script>alert(1)</script>",
          "${jndi:ldap://127.0.0.1/a}",
          "{{7*7}}",
          "%s%s%s%n",
          "../../../../etc/passwd",
          "..\\..\\windows\\win.ini",
          "%2e%2e%2f%2e%2e%2f",
          "\u0000",
          "\ufeff",
          "\u202e",
          "\u200b",
          "\ud800",
          "\udfff",
          "\ud83d\ude00",
          "\r\nX-Injected: 1",
          "http://169.254.169.254/metadata/identity/oauth2/token",
          "file:///etc/passwd",
          "\\\\server\\share");

  private static final List<String> TRAVERSALS =
      List.of(
          WORKSPACE + INCIDENTS + "../{name}",
          WORKSPACE + INCIDENTS + "x/../{name}",
          WORKSPACE + INCIDENTS + "./{name}",
          WORKSPACE + INCIDENTS + "%2e%2e/{name}",
          WORKSPACE + INCIDENTS + "..%2F{name}",
          WORKSPACE + INCIDENTS + "..%252F{name}",
          WORKSPACE + INCIDENTS + "%c0%ae%c0%ae/{name}",
          WORKSPACE + INCIDENTS + "..\\{name}",
          WORKSPACE + INCIDENTS + "....//{name}",
          WORKSPACE + INCIDENTS + "{name}/../" + EXISTING_NAMES.get(1),
          WORKSPACE + "/../law-sentinel-other" + INCIDENTS + "{name}",
          WORKSPACE.replace(RESOURCE_GROUP, "/resourceGroups/rg-other/../rg-sentinel/")
              + INCIDENTS
              + "{name}",
          WORKSPACE.replace(RESOURCE_GROUP, "/resourceGroups/../") + INCIDENTS + "{name}",
          "/subscriptions/../subscriptions/" + WORKSPACE.substring(15) + INCIDENTS + "{name}",
          "/..//.." + WORKSPACE + INCIDENTS + "{name}");

  private static final List<String> SUFFIXES =
      List.of(
          "?api-version=2024-03-01",
          "?$expand=*",
          "#fragment",
          "#",
          "?",
          "&x=1",
          ";x=1",
          "%0d%0aX-Injected:%201",
          "\r\nX-Injected: 1",
          "\nHost: 127.0.0.1\n\nGET /x",
          "%00",
          "\u0000.json",
          "/alerts",
          "/comments/1",
          "/entities",
          "/..",
          "/.",
          "//",
          ".json",
          "\\",
          "%2F",
          "@evil.example",
          "/../" + EXISTING_NAMES.get(1));

  /** Look-alikes that neither ARM ids nor case-insensitive comparisons take for the original. */
  private static final Map<Character, Character> HOMOGLYPHS =
      Map.of(
          'a', '\u0430',
          'e', '\u0435',
          'o', '\u043e',
          'c', '\u0441',
          'p', '\u0440',
          's', '\u0455',
          'i', '\u0456',
          '1', '\uff11',
          '-', '\u2010',
          '/', '\u2215');

  private static final List<String> INVISIBLE =
      List.of("\u200b", "\u200e", "\u202e", "\ufeff", "\u00ad", "\u2060");

  private static final List<String> REFUSED_ADDRESSES =
      List.of(
          "10.0.0.1",
          "10.0.0.0/24",
          "192.168.4.20",
          "172.16.5.4",
          "172.31.255.255",
          "100.64.0.1",
          "127.0.0.1",
          "0.0.0.0",
          "169.254.169.254",
          "224.0.0.1",
          "239.255.255.250",
          "240.0.0.1",
          "255.255.255.255",
          "::",
          "::1",
          "fe80::1",
          "fc00::1",
          "fd12:3456::1",
          "ff02::1",
          "0.0.0.0/0",
          "::/0",
          "8.0.0.0/8",
          "198.51.0.0/16",
          "198.51.100.0/23",
          "2001:db8::/32",
          "2000::/3",
          "192.0.2.10",
          "192.0.2.0/24",
          "2001:db8:ffff::1",
          "2001:db8:ffff::/48");

  private static final List<String> MALFORMED_ADDRESSES =
      List.of(
          "999.1.1.1",
          "256.256.256.256",
          "198.51.100.300",
          "1.2.3",
          "1.2.3.4.5",
          "198.51.100.9/33",
          "198.51.100.9/-1",
          "198.51.100.9/",
          "198.51.100.9/24/1",
          "::ffff:198.51.100.9",
          "1:2:3:4:5:6:7:8:9",
          "1::2::3",
          "fe80::1%eth0",
          "0x7f.0.0.1",
          "2130706433",
          "example.com",
          "localhost",
          "198.51.100.9; rm -rf /",
          "198.51.100.9 198.51.100.10",
          "198.51.100.9,198.51.100.10",
          "",
          " ",
          "http://198.51.100.9/",
          "198.51.100.9:443",
          "[2001:db8::1]",
          "\uff11\uff19\uff18.51.100.9");

  private static final List<String> PUBLIC_ADDRESSES =
      List.of(
          "198.51.100.7", "203.0.113.99", "198.51.100.0/24", "2001:db8:1::1", "2001:db8:1::/48");

  private static final List<String> NOT_USERS =
      List.of(
          "jdoe",
          "",
          "@contoso.com",
          "jdoe@",
          "jdoe@contoso",
          "a b@c.d",
          "<script>@x.y",
          "jdoe@@contoso.com",
          "\"q\"@x.y",
          "63883bf7-5be1-42f4-809a",
          "jdoe@contoso.com\r\nX-Injected: 1",
          "jdoe@contoso.com,bob@contoso.com",
          "' OR 1=1 --",
          "../../etc/passwd",
          "*",
          "$filter=true");

  private static final List<String> USERS =
      List.of(
          "jdoe@contoso.com",
          "nobody@contoso.com",
          "a@b.c",
          "7a7a7a7a-0001-4000-8000-000000000099");

  private static final List<String> NOT_ACTIONS =
      List.of(
          "wipe",
          "delete",
          "disable",
          "",
          "confirm;revoke",
          "reset-all",
          "confirm,wipe",
          "revoke, ,reset");

  private static final List<String> CLASSIFICATIONS =
      List.of(
          "TruePositive",
          "BenignPositive",
          "FalsePositive",
          "Undetermined",
          "truepositive",
          "UNDETERMINED");

  private static final List<String> NOT_CLASSIFICATIONS =
      List.of(
          "True Positive",
          "TP",
          "FalsePositiv",
          "Benign",
          "Closed",
          "true",
          "0",
          "' OR 1=1 --",
          "<b>TruePositive</b>",
          "True\u0000Positive",
          "TruePositive\r\nX-Injected: 1",
          "\u0422ruePositive",
          "Tru\u0435Positive",
          "TruePositive,FalsePositive");

  /** Reasons that do not fit the classification they come with. */
  private static final List<List<String>> MISMATCHED_REASONS =
      List.of(
          List.of("Undetermined", "SuspiciousActivity"),
          List.of("Undetermined", "InaccurateData"),
          List.of("TruePositive", "InaccurateData"),
          List.of("FalsePositive", "SuspiciousActivity"),
          List.of("BenignPositive", "IncorrectAlertLogic"),
          List.of("TruePositive", "SuspiciousActivity, InaccurateData"));

  private static final List<String> NOT_DURATIONS =
      List.of(
          "1h",
          "forever",
          "PT",
          "P",
          "-PT1H",
          "PT0S",
          "PT-1S",
          "P0D",
          "-P1D",
          "P91D",
          "P3650D",
          "PT2161H",
          "PT99999999999999999999H",
          "P1Y",
          "P1M",
          "PT1H PT1H",
          "7",
          "P7D; DROP",
          "P 7D",
          "PT1H\u0000x");

  private static final List<String> NOT_TIMES =
      List.of(
          "yesterday",
          "now",
          "2026-13-01T00:00:00Z",
          "2026-11-31T00:00:00Z",
          "2026-11-01",
          "2026-11-01T00:00:00",
          "2026-11-01 00:00:00Z",
          "2026-11-01T25:00:00Z",
          "2026-11-01T00:00:00+25:00",
          "2026-11-01T00:00:00Z[Europe/Paris]",
          "0000-00-00T00:00:00Z",
          "1700000000",
          "-1",
          "P1D",
          "'; DROP TABLE checkpoints; --");

  private static final List<String> NOT_SCHEMA_TYPES =
      List.of("Alert", "Entity", "", "incident ", "Incidents", "Incident\u0000", "\u0406ncident");

  private HostileRequests() {}

  /** Any body for a playbook function: never a request it may act on. */
  static Arbitrary<String> playbookBody(String playbook) {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(2, anyText().injectNull(0.02)),
            Tuple.of(1, nonObjectJson()),
            Tuple.of(1, beyondParserLimits()),
            Tuple.of(2, almostJson(validPlaybookBody(playbook))),
            Tuple.of(4, bodyWithHostileIncident(playbook)),
            Tuple.of(3, brokenTriggerBody(playbook)),
            Tuple.of(4, validOptionsForAnotherIncident(playbook)),
            Tuple.of(6, existingIncidentWithWrongOption(playbook))));
  }

  /** Any body for {@code POST /api/reconcile}: never one that reconciles. */
  static Arbitrary<String> reconcileBody() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(2, anyText().filter(text -> !text.isBlank() && !text.strip().startsWith("{"))),
            Tuple.of(1, nonObjectJson()),
            Tuple.of(1, beyondParserLimits()),
            Tuple.of(2, almostJson(validReconcileBody())),
            Tuple.of(
                8,
                Combinators.combine(fragments(reconcileField(), 3), wrongReconcileField())
                    .as((extra, wrong) -> object(extra, wrong).toString()))));
  }

  /** Query parameters: mostly none, sometimes a good or bad {@code dryRun}, sometimes noise. */
  static Arbitrary<Map<String, String>> queries() {
    Arbitrary<String> badDryRun =
        Arbitraries.oneOf(
            Arbitraries.of(
                "yes", "no", "1", "0", "on", " true", "true ", "tru\u0435", "true,false", "null"),
            anyText()
                .filter(
                    value ->
                        !value.isBlank()
                            && !value.equalsIgnoreCase("true")
                            && !value.equalsIgnoreCase("false")));
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(10, Arbitraries.just(Map.<String, String>of())),
            Tuple.of(
                2,
                Arbitraries.of("true", "false", "TRUE", "False", "")
                    .map(value -> Map.of(HttpPlaybookRunner.DRY_RUN_PARAMETER, value))),
            Tuple.of(
                1, badDryRun.map(value -> Map.of(HttpPlaybookRunner.DRY_RUN_PARAMETER, value))),
            Tuple.of(
                1,
                Combinators.combine(
                        Arbitraries.of("code", "api-version", "workspace", "incidentId", "$filter"),
                        anyText())
                    .as(Map::of))));
  }

  // --- text that is not JSON, or not a JSON object

  static Arbitrary<String> anyText() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
            Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(200)),
            Tuple.of(2, Arbitraries.of(NASTY_TEXT)),
            Tuple.of(1, Arbitraries.strings().all().ofMinLength(1_000).ofMaxLength(20_000))));
  }

  static Arbitrary<String> nonObjectJson() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "null",
            "true",
            "false",
            "0",
            "-1",
            "1e999",
            "123456789012345678901234567890",
            "\"\"",
            "[]",
            "[{}]",
            "[" + EmulatedAzure.triggerBody() + "]",
            "\"" + EXISTING.get(0) + "\""),
        Arbitraries.integers().map(String::valueOf),
        anyText().map(text -> NODES.textNode(text).toString()),
        notAString().filter(node -> !node.isObject()).map(JsonNode::toString));
  }

  /** Deeper nesting, longer numbers and longer field names than the JSON reader takes. */
  static Arbitrary<String> beyondParserLimits() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(1_001, 5_000).map(n -> "[".repeat(n) + "]".repeat(n)),
            Arbitraries.integers().between(1_001, 3_000).map(n -> "[".repeat(n)),
            Arbitraries.integers()
                .between(1_001, 3_000)
                .map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
            Arbitraries.integers()
                .between(1_001, 3_000)
                .map(n -> "{\"incidentId\":" + "[".repeat(n) + "]".repeat(n) + "}"),
            Arbitraries.integers()
                .between(1_001, 5_000)
                .map(n -> "{\"incidentId\":" + "9".repeat(n) + "}"),
            Arbitraries.integers()
                .between(1_001, 5_000)
                .map(
                    n ->
                        "{\"ttl\":0."
                            + "1".repeat(n)
                            + ",\"incidentId\":\""
                            + EXISTING.get(0)
                            + "\"}"),
            Arbitraries.integers()
                .between(50_001, 60_000)
                .map(
                    n ->
                        "{\"" + "k".repeat(n) + "\":1,\"incidentId\":\"" + EXISTING.get(0) + "\"}"))
        .withoutEdgeCases();
  }

  private enum Malformation {
    TRUNCATED,
    TRAILING_CONTENT,
    CONCATENATED,
    TRAILING_COMMA,
    SINGLE_QUOTES,
    COMMENT,
    UNQUOTED_NAME,
    RAW_CONTROL_CHARACTER,
    BYTE_ORDER_MARK,
    NOT_A_NUMBER,
    LEADING_ZERO,
    MISSING_COLON
  }

  /**
   * A body that would be valid, made malformed: JSON allows none of these, so each must be refused
   * as a whole rather than read in part. Without edge cases: jqwik draws edge cases from all the
   * choices of a {@code frequencyOf} together, and the many of this one would crowd out the rest.
   */
  static Arbitrary<String> almostJson(Arbitrary<ObjectNode> valid) {
    Arbitrary<String> trailing =
        Arbitraries.oneOf(
            Arbitraries.of("}", "]", "{", ",", "x", "null", "{}", "\u0000", "//", "#", "'", "\""),
            anyText().filter(text -> !text.isBlank()));
    return Combinators.combine(
            valid,
            Arbitraries.of(Malformation.class),
            Arbitraries.of(true, false),
            Arbitraries.integers().greaterOrEqual(0),
            trailing)
        .as(
            (body, malformation, pretty, position, junk) -> {
              String text = pretty ? body.toPrettyString() : body.toString();
              int last = text.lastIndexOf('}');
              int firstQuote = text.indexOf('"');
              return switch (malformation) {
                case TRUNCATED -> text.substring(0, 1 + position % (last - 1));
                case TRAILING_CONTENT -> text + junk;
                case CONCATENATED -> text + text;
                case TRAILING_COMMA -> text.substring(0, last) + "," + text.substring(last);
                case SINGLE_QUOTES -> text.replace('"', '\'');
                case COMMENT -> "{/* x */" + text.substring(1);
                case UNQUOTED_NAME -> {
                  int closing = text.indexOf('"', firstQuote + 1);
                  yield text.substring(0, firstQuote)
                      + text.substring(firstQuote + 1, closing)
                      + text.substring(closing + 1);
                }
                case RAW_CONTROL_CHARACTER ->
                    text.substring(0, firstQuote + 1) + "\n" + text.substring(firstQuote + 1);
                case BYTE_ORDER_MARK -> "\ufeff" + text;
                case NOT_A_NUMBER -> text.substring(0, last) + ",\"n\":NaN}";
                case LEADING_ZERO -> text.substring(0, last) + ",\"n\":01}";
                case MISSING_COLON -> text.replaceFirst("\"\\s*:", "\" ");
              };
            })
        .withoutEdgeCases();
  }

  // --- incident ids

  /** Strings in the place of an incident id, none naming an incident that may be acted on. */
  static Arbitrary<String> hostileIncidentId() {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(5, unknownIncidentInAllowedWorkspace()),
            Tuple.of(3, incidentOutsideAllowList()),
            Tuple.of(2, traversal()),
            Tuple.of(2, malformedArmId()),
            Tuple.of(2, withInjectedSuffix()),
            Tuple.of(2, lookalike()),
            Tuple.of(1, overLong()),
            Tuple.of(1, anyText())));
  }

  /** An existing incident, spelled as ARM allows: any case, a trailing slash, padding. */
  static Arbitrary<String> existingIncident() {
    return Combinators.combine(
            Arbitraries.of(EXISTING),
            Arbitraries.longs(),
            Arbitraries.of("", "/", " ", "\n", " \t"))
        .as((id, caseBits, padding) -> flipCase(id, caseBits) + padding);
  }

  static Arbitrary<String> unknownIncidentName() {
    Arbitrary<String> word =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars('-', '_')
            .ofMinLength(1)
            .ofMaxLength(128);
    Arbitrary<String> nearMiss =
        Combinators.combine(
                Arbitraries.of(EXISTING_NAMES),
                Arbitraries.integers().between(0, 35),
                Arbitraries.of('0', '1', '9', 'a', 'f', 'A', 'F', '-', '_'))
            .as(
                (name, at, replacement) ->
                    name.substring(0, at) + replacement + name.substring(at + 1));
    return Arbitraries.oneOf(word, guid(), nearMiss)
        .filter(name -> EXISTING_NAMES.stream().noneMatch(name::equalsIgnoreCase));
  }

  static Arbitrary<String> unknownIncidentInAllowedWorkspace() {
    return Combinators.combine(Arbitraries.longs(), unknownIncidentName(), Arbitraries.of("", "/"))
        .as((caseBits, name, slash) -> flipCase(WORKSPACE + INCIDENTS, caseBits) + name + slash);
  }

  /** Well-formed workspace ids that are not in SENTINEL_WORKSPACES. */
  static Arbitrary<String> otherWorkspace() {
    Arbitrary<String> otherSubscription =
        guid()
            .filter(id -> !id.equals(SUBSCRIPTION))
            .map(id -> WORKSPACE.replace(SUBSCRIPTION, id));
    Arbitrary<String> otherGroup =
        Arbitraries.of(
                "rg-sentinel-2",
                "..",
                ".",
                "(rg)",
                "rg-sentinel.",
                "rg_sentinel",
                "rg-sentinel(1)",
                "rg-sentine",
                "RG-SENTINEL-PROD")
            .map(group -> WORKSPACE.replace(RESOURCE_GROUP, "/resourceGroups/" + group + "/"));
    Arbitrary<String> otherName =
        Arbitraries.of(
                "law-sentinel-prod2",
                "law-sentinel-pro",
                "law-sentinel-other",
                "law-sentinel-prod-",
                "LAW_SENTINEL_PROD")
            .map(name -> WORKSPACE.replace(WORKSPACE_NAME, "/workspaces/" + name));
    return Arbitraries.oneOf(otherSubscription, otherGroup, otherName);
  }

  static Arbitrary<String> incidentOutsideAllowList() {
    return Combinators.combine(
            otherWorkspace(),
            Arbitraries.oneOf(Arbitraries.of(EXISTING_NAMES), unknownIncidentName()))
        .as((workspace, name) -> workspace + INCIDENTS + name);
  }

  static Arbitrary<String> traversal() {
    return Combinators.combine(
            Arbitraries.of(TRAVERSALS),
            Arbitraries.oneOf(Arbitraries.of(EXISTING_NAMES), unknownIncidentName()))
        .as((template, name) -> template.replace("{name}", name));
  }

  static Arbitrary<String> malformedArmId() {
    String id = EXISTING.get(0);
    Arbitrary<String> fixed =
        Arbitraries.of(
            WORKSPACE,
            WORKSPACE + INCIDENTS,
            INCIDENTS + EXISTING_NAMES.get(0),
            EXISTING_NAMES.get(0),
            id.substring(1),
            id.replace("Microsoft.SecurityInsights", "Microsoft.Security"),
            id.replace("/incidents/", "/alerts/"),
            id.replace("/incidents/", "/Incident/"),
            id.replace("Microsoft.OperationalInsights", "Microsoft.OperationalInsight"),
            id.replace("/", "//"),
            id.replace("/", "\\"),
            id.replace("/subscriptions/", "/tenants/"),
            "https://management.azure.com" + id,
            "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident" + id,
            id + INCIDENTS + EXISTING_NAMES.get(1),
            "/subscriptions//resourceGroups//providers/Microsoft.OperationalInsights/workspaces/"
                + "/providers/Microsoft.SecurityInsights/incidents/",
            id.replace(SUBSCRIPTION, "not-a-guid"),
            id.replace(WORKSPACE_NAME, "/workspaces/law"));
    Arbitrary<String> deleted =
        Combinators.combine(
                Arbitraries.of(EXISTING),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(1, 20))
            .as(
                (existing, at, length) -> {
                  int from = at % existing.length();
                  return existing.substring(0, from)
                      + existing.substring(Math.min(existing.length(), from + length));
                });
    Arbitrary<String> inserted =
        Combinators.combine(
                Arbitraries.of(EXISTING),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.chars().all().filter(c -> c > ' ' && c != '/'))
            .as(
                (existing, at, c) -> {
                  int where = at % (existing.length() + 1);
                  return existing.substring(0, where) + c + existing.substring(where);
                });
    Arbitrary<String> swapped =
        Combinators.combine(
                Arbitraries.of(EXISTING),
                Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 12))
            .filter(
                (existing, i, j) -> {
                  String[] segments = existing.split("/");
                  return !segments[i].equalsIgnoreCase(segments[j]);
                })
            .as(
                (existing, i, j) -> {
                  String[] segments = existing.split("/");
                  String swap = segments[i];
                  segments[i] = segments[j];
                  segments[j] = swap;
                  return String.join("/", segments);
                });
    return Arbitraries.oneOf(fixed, deleted, inserted, swapped);
  }

  static Arbitrary<String> withInjectedSuffix() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.of(EXISTING), unknownIncidentInAllowedWorkspace()),
            Arbitraries.of(SUFFIXES))
        .as((id, suffix) -> id + suffix);
  }

  static Arbitrary<String> lookalike() {
    Arbitrary<String> replaced =
        Combinators.combine(
                Arbitraries.of(EXISTING),
                Arbitraries.of(HOMOGLYPHS.keySet()),
                Arbitraries.integers().greaterOrEqual(0))
            .as(
                (id, original, nth) -> {
                  List<Integer> positions = new ArrayList<>();
                  for (int i = 0; i < id.length(); i++) {
                    if (id.charAt(i) == original) {
                      positions.add(i);
                    }
                  }
                  int at = positions.get(nth % positions.size());
                  return id.substring(0, at) + HOMOGLYPHS.get(original) + id.substring(at + 1);
                });
    Arbitrary<String> invisible =
        Combinators.combine(
                Arbitraries.of(EXISTING),
                Arbitraries.of(INVISIBLE),
                Arbitraries.integers().greaterOrEqual(0))
            .as(
                (id, mark, at) -> {
                  int where = at % (id.length() + 1);
                  return id.substring(0, where) + mark + id.substring(where);
                });
    return Arbitraries.oneOf(replaced, invisible);
  }

  static Arbitrary<String> overLong() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(129, 2_000).map(n -> WORKSPACE + INCIDENTS + "a".repeat(n)),
        Arbitraries.integers()
            .between(91, 1_000)
            .map(
                n ->
                    WORKSPACE.replace(RESOURCE_GROUP, "/resourceGroups/" + "r".repeat(n) + "/")
                        + INCIDENTS
                        + EXISTING_NAMES.get(0)),
        Arbitraries.integers()
            .between(64, 500)
            .map(
                n ->
                    WORKSPACE.replace(WORKSPACE_NAME, "/workspaces/" + "w".repeat(n))
                        + INCIDENTS
                        + EXISTING_NAMES.get(0)),
        Arbitraries.integers().between(1_000, 50_000).map(n -> EXISTING.get(0) + "/x".repeat(n)),
        Arbitraries.integers()
            .between(100, 2_000)
            .map(n -> ("/subscriptions/" + SUBSCRIPTION).repeat(n)));
  }

  static Arbitrary<String> guid() {
    return Arbitraries.strings()
        .withChars("0123456789abcdef")
        .ofLength(32)
        .map(
            hex ->
                String.join(
                    "-",
                    hex.substring(0, 8),
                    hex.substring(8, 12),
                    hex.substring(12, 16),
                    hex.substring(16, 20),
                    hex.substring(20)));
  }

  /** JSON values of every type but string (and not null), some wrapping an existing incident. */
  static Arbitrary<JsonNode> notAString() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(NODES::numberNode),
        Arbitraries.just(NODES.numberNode(new BigInteger("9".repeat(40)))),
        Arbitraries.just(NODES.numberNode(-1.5e300)),
        Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE),
        Arbitraries.just(NODES.arrayNode()),
        Arbitraries.just(NODES.objectNode()),
        Arbitraries.of(EXISTING).map(id -> NODES.arrayNode().add(id)),
        Arbitraries.of(EXISTING).map(id -> NODES.objectNode().put("id", id)),
        Arbitraries.integers()
            .between(1, 50)
            .map(
                depth -> {
                  JsonNode nested = NODES.textNode(EXISTING.get(0));
                  for (int i = 0; i < depth; i++) {
                    nested = NODES.arrayNode().add(nested);
                  }
                  return nested;
                }));
  }

  private static Arbitrary<JsonNode> notABoolean() {
    return Arbitraries.oneOf(
        Arbitraries.of("true", "false", "yes", "1", "").map(NODES::textNode),
        Arbitraries.integers().between(-1, 1).map(NODES::numberNode),
        Arbitraries.just(NODES.arrayNode().add(true)),
        Arbitraries.just(NODES.objectNode()));
  }

  // --- bodies for the playbooks

  /** An incidentId that is hostile, of the wrong type, null or absent; options of any kind. */
  static Arbitrary<String> bodyWithHostileIncident(String playbook) {
    Arbitrary<Map<String, JsonNode>> incidentId =
        Arbitraries.oneOf(
            field("incidentId", hostileIncidentId().map(NODES::textNode)),
            field("incidentId", notAString()),
            Arbitraries.just(fields("incidentId", NullNode.getInstance())),
            Arbitraries.just(Map.of()));
    return Combinators.combine(incidentId, fragments(anyOption(playbook), 4))
        .as((id, options) -> object(id, options).toString());
  }

  /** The Sentinel trigger body with its incident object broken; options of any kind. */
  static Arbitrary<String> brokenTriggerBody(String playbook) {
    Arbitrary<ObjectNode> broken =
        Arbitraries.oneOf(
            Arbitraries.oneOf(
                    hostileIncidentId().map(NODES::textNode),
                    notAString(),
                    Arbitraries.just(NullNode.getInstance()))
                .map(
                    id -> {
                      ObjectNode trigger = TRIGGER.deepCopy();
                      ((ObjectNode) trigger.get("object")).set("id", id);
                      return trigger;
                    }),
            Arbitraries.just(TRIGGER)
                .map(
                    trigger -> {
                      ObjectNode copy = trigger.deepCopy();
                      ((ObjectNode) copy.get("object")).remove("id");
                      return copy;
                    }),
            notAnIncidentObject()
                .map(
                    object -> {
                      ObjectNode trigger = TRIGGER.deepCopy();
                      trigger.set("object", object);
                      return trigger;
                    }),
            notIncidentSchemaType()
                .map(
                    schema -> {
                      ObjectNode trigger = TRIGGER.deepCopy();
                      trigger.set("objectSchemaType", schema);
                      return trigger;
                    }));
    return Combinators.combine(broken, fragments(anyOption(playbook), 3))
        .as((trigger, options) -> object(trigger, options).toString());
  }

  /** Every option right, for an incident that is unknown, outside the allow-list or hostile. */
  static Arbitrary<String> validOptionsForAnotherIncident(String playbook) {
    Arbitrary<String> incident =
        Arbitraries.frequencyOf(
            List.of(
                Tuple.of(3, unknownIncidentInAllowedWorkspace()),
                Tuple.of(2, incidentOutsideAllowList()),
                Tuple.of(1, hostileIncidentId())));
    Arbitrary<ObjectNode> reference =
        Combinators.combine(incident, Arbitraries.of(true, false))
            .as(
                (id, asTrigger) -> {
                  if (!asTrigger) {
                    return object(fields("incidentId", NODES.textNode(id)));
                  }
                  ObjectNode trigger = TRIGGER.deepCopy();
                  ((ObjectNode) trigger.get("object")).put("id", id);
                  return trigger;
                });
    return Combinators.combine(
            reference, validOptions(playbook), fragments(validOption(playbook), 2))
        .as((id, required, more) -> object(id, required, more).toString());
  }

  /**
   * An existing incident in the allowed workspace with the options it needs, and at least one wrong
   * option on top, so that each check of the options is reached.
   */
  static Arbitrary<String> existingIncidentWithWrongOption(String playbook) {
    return Combinators.combine(
            existingIncidentReference(),
            validOptions(playbook),
            fragments(anyOption(playbook), 2),
            wrongOption(playbook))
        .as(
            (reference, required, options, wrong) ->
                object(reference, required, options, wrong).toString());
  }

  /** Valid for an existing incident; only ever sent made malformed. */
  static Arbitrary<ObjectNode> validPlaybookBody(String playbook) {
    return Combinators.combine(existingIncidentReference(), validOptions(playbook))
        .as((reference, options) -> object(reference, options));
  }

  private static Arbitrary<ObjectNode> existingIncidentReference() {
    return Arbitraries.oneOf(
        existingIncident().map(id -> object(fields("incidentId", NODES.textNode(id)))),
        existingIncident()
            .map(
                id -> {
                  ObjectNode trigger = TRIGGER.deepCopy();
                  ((ObjectNode) trigger.get("object")).put("id", id);
                  return trigger;
                }));
  }

  private static Arbitrary<JsonNode> notAnIncidentObject() {
    return Arbitraries.oneOf(
        Arbitraries.just(NullNode.getInstance()),
        Arbitraries.of(NODES.textNode("x"), NODES.textNode(EXISTING.get(0)), NODES.numberNode(5)),
        Arbitraries.of(EXISTING).map(id -> NODES.arrayNode().add(id)),
        Arbitraries.just(NODES.objectNode()),
        notAString().map(id -> NODES.objectNode().set("id", id)),
        hostileIncidentId().map(id -> NODES.objectNode().put("id", id)),
        Arbitraries.of(EXISTING_NAMES).map(name -> NODES.objectNode().put("name", name)));
  }

  private static Arbitrary<JsonNode> notIncidentSchemaType() {
    return Arbitraries.oneOf(
        Arbitraries.of(NOT_SCHEMA_TYPES).map(NODES::textNode),
        Arbitraries.of(NODES.numberNode(1), BooleanNode.TRUE));
  }

  /** Options right and wrong for the playbook, and fields it does not know. */
  private static Arbitrary<Map<String, JsonNode>> anyOption(String playbook) {
    return Arbitraries.frequencyOf(
        List.of(
            Tuple.of(3, validOption(playbook)),
            Tuple.of(3, wrongOption(playbook)),
            Tuple.of(2, junkField())));
  }

  /** An option or set of options the playbook refuses, whatever else the body holds. */
  static Arbitrary<Map<String, JsonNode>> wrongOption(String playbook) {
    List<Arbitrary<Map<String, JsonNode>>> wrong =
        new ArrayList<>(
            List.of(
                field("dryRun", notABoolean()),
                field("object", notAnIncidentObject()),
                Combinators.combine(notIncidentSchemaType(), existingIncident())
                    .as(
                        (schema, id) ->
                            fields(
                                "objectSchemaType",
                                schema,
                                "object",
                                NODES.objectNode().put("id", id)))));
    switch (playbook) {
      case CloseIncidentPlaybook.NAME -> wrong.addAll(wrongCloseOptions());
      case BlockIpPlaybook.NAME -> wrong.addAll(wrongBlockOptions());
      case ConfirmRiskyUserPlaybook.NAME -> wrong.addAll(wrongConfirmOptions());
      default -> {}
    }
    return Arbitraries.oneOf(wrong);
  }

  private static List<Arbitrary<Map<String, JsonNode>>> wrongCloseOptions() {
    return List.of(
        field(
            "classification",
            Arbitraries.oneOf(
                Arbitraries.of(NOT_CLASSIFICATIONS).map(NODES::textNode),
                Arbitraries.strings().alpha().ofMaxLength(20).map(s -> NODES.textNode("x-" + s)),
                notAString(),
                Arbitraries.just(NullNode.getInstance()))),
        Arbitraries.of(MISMATCHED_REASONS)
            .map(
                pair ->
                    fields(
                        "classification",
                        NODES.textNode(pair.get(0)),
                        "classificationReason",
                        NODES.textNode(pair.get(1)))),
        Combinators.combine(Arbitraries.of(CLASSIFICATIONS), notAString())
            .as(
                (classification, reason) ->
                    fields(
                        "classification",
                        NODES.textNode(classification),
                        "classificationReason",
                        reason)),
        field(
            "comment",
            Arbitraries.oneOf(
                Arbitraries.strings()
                    .alpha()
                    .ofMinLength(4_001)
                    .ofMaxLength(12_000)
                    .map(NODES::textNode),
                notAString())),
        field("dismissAlerts", notABoolean()));
  }

  private static List<Arbitrary<Map<String, JsonNode>>> wrongBlockOptions() {
    Arbitrary<JsonNode> refusedAddress =
        Arbitraries.oneOf(
            Arbitraries.of(REFUSED_ADDRESSES).map(NODES::textNode),
            Arbitraries.of(MALFORMED_ADDRESSES).map(NODES::textNode),
            Combinators.combine(
                    Arbitraries.strings().withChars("0123456789abcdef.:/").ofMaxLength(20),
                    Arbitraries.strings().withCharRange('g', 'z').ofMinLength(1).ofMaxLength(3),
                    Arbitraries.strings().withChars("0123456789.:/").ofMaxLength(10))
                .as((before, letters, after) -> NODES.textNode(before + letters + after)),
            Arbitraries.of(NullNode.getInstance(), NODES.numberNode(3232235520L)),
            Arbitraries.of(NODES.arrayNode().add("198.51.100.7"), NODES.objectNode()));
    return List.of(
        field(
            "ips",
            Arbitraries.oneOf(
                Arbitraries.of(PUBLIC_ADDRESSES).map(NODES::textNode),
                Arbitraries.of(NODES.numberNode(1), NODES.objectNode(), BooleanNode.TRUE),
                Arbitraries.just(NODES.arrayNode()))),
        field(
            "ips",
            listWithOneWrong(
                Arbitraries.of(PUBLIC_ADDRESSES).map(NODES::textNode), refusedAddress)),
        field(
            "ttl",
            Arbitraries.oneOf(
                Arbitraries.of(NOT_DURATIONS).map(NODES::textNode),
                Arbitraries.strings().alpha().ofMaxLength(10).map(s -> NODES.textNode("x" + s)),
                notAString())));
  }

  private static List<Arbitrary<Map<String, JsonNode>>> wrongConfirmOptions() {
    Arbitrary<JsonNode> notAUser =
        Arbitraries.oneOf(
            Arbitraries.of(NOT_USERS).map(NODES::textNode),
            Arbitraries.strings()
                .alpha()
                .numeric()
                .ofMinLength(1)
                .ofMaxLength(30)
                .map(NODES::textNode),
            Arbitraries.of(
                NullNode.getInstance(),
                NODES.numberNode(7),
                NODES.arrayNode(),
                NODES.objectNode()));
    Arbitrary<JsonNode> notAnAction =
        Arbitraries.oneOf(
            Arbitraries.of(NOT_ACTIONS).map(NODES::textNode),
            Arbitraries.of(
                NullNode.getInstance(),
                NODES.numberNode(1),
                NODES.arrayNode(),
                NODES.objectNode()));
    return List.of(
        field(
            "users",
            Arbitraries.of(
                NODES.textNode("jdoe@contoso.com"),
                NODES.numberNode(5),
                NODES.objectNode(),
                BooleanNode.TRUE)),
        field("users", listWithOneWrong(Arbitraries.of(USERS).map(NODES::textNode), notAUser)),
        field(
            "actions",
            Arbitraries.oneOf(
                Arbitraries.of(NODES.numberNode(1), NODES.objectNode(), BooleanNode.TRUE),
                Arbitraries.of(NOT_ACTIONS).map(NODES::textNode))),
        field(
            "actions",
            listWithOneWrong(
                Arbitraries.of("confirm", "revoke", "reset").map(NODES::textNode), notAnAction)));
  }

  /** One option the playbook accepts. */
  private static Arbitrary<Map<String, JsonNode>> validOption(String playbook) {
    Arbitrary<Map<String, JsonNode>> dryRun =
        field("dryRun", Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE));
    return switch (playbook) {
      case CloseIncidentPlaybook.NAME ->
          Arbitraries.oneOf(
              dryRun,
              field("classification", Arbitraries.of(CLASSIFICATIONS).map(NODES::textNode)),
              field("comment", Arbitraries.strings().ofMaxLength(200).map(NODES::textNode)),
              field("dismissAlerts", Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE)));
      case BlockIpPlaybook.NAME ->
          Arbitraries.oneOf(
              dryRun,
              field("ips", publicAddresses()),
              field("ttl", Arbitraries.of("PT1H", "P7D", "pt30m").map(NODES::textNode)));
      case ConfirmRiskyUserPlaybook.NAME ->
          Arbitraries.oneOf(
              dryRun,
              field("users", strings(Arbitraries.of(USERS), 1)),
              field("actions", strings(Arbitraries.of("confirm", "revoke", "reset"), 0)));
      default -> dryRun;
    };
  }

  /** The options a valid request of the playbook holds. */
  private static Arbitrary<Map<String, JsonNode>> validOptions(String playbook) {
    return switch (playbook) {
      case CloseIncidentPlaybook.NAME ->
          Combinators.combine(
                  Arbitraries.of(CLASSIFICATIONS), Arbitraries.strings().alpha().ofMaxLength(50))
              .as(
                  (classification, comment) ->
                      fields(
                          "classification",
                          NODES.textNode(classification),
                          "comment",
                          NODES.textNode(comment)));
      case BlockIpPlaybook.NAME -> field("ips", publicAddresses());
      case ConfirmRiskyUserPlaybook.NAME ->
          field("actions", strings(Arbitraries.of("confirm", "revoke", "reset"), 1));
      default -> Arbitraries.just(Map.of());
    };
  }

  private static Arbitrary<JsonNode> publicAddresses() {
    return strings(Arbitraries.of(PUBLIC_ADDRESSES), 1);
  }

  private static Arbitrary<Map<String, JsonNode>> junkField() {
    Arbitrary<String> name =
        Arbitraries.oneOf(
                Arbitraries.of("__proto__", "constructor", "$where", "", "a".repeat(1_000)),
                Arbitraries.strings().all().ofMaxLength(20))
            .filter(candidate -> !KNOWN_FIELDS.contains(candidate));
    Arbitrary<JsonNode> value =
        Arbitraries.oneOf(
            anyText().map(NODES::textNode), notAString(), Arbitraries.just(NullNode.getInstance()));
    return Combinators.combine(name, value).as(HostileRequests::fields);
  }

  // --- bodies for reconcile

  /** Valid for reconcile; only ever sent made malformed. */
  private static Arbitrary<ObjectNode> validReconcileBody() {
    return reconcileField().list().ofMinSize(1).ofMaxSize(3).map(fields -> object(merged(fields)));
  }

  private static Arbitrary<Map<String, JsonNode>> reconcileField() {
    return Arbitraries.oneOf(
        Arbitraries.longs()
            .map(caseBits -> fields("workspace", NODES.textNode(flipCase(WORKSPACE, caseBits)))),
        field(
            "since",
            Arbitraries.of("2026-11-01T00:00:00Z", "2026-11-01T00:00:00+02:00")
                .map(NODES::textNode)),
        field("dryRun", Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE)),
        junkField());
  }

  /** A reconcile field that is wrong, whatever else the body holds. */
  private static Arbitrary<Map<String, JsonNode>> wrongReconcileField() {
    Arbitrary<String> notTheWorkspace =
        Arbitraries.oneOf(
                otherWorkspace(),
                Arbitraries.of(EXISTING),
                Arbitraries.of(
                    WORKSPACE + "/..",
                    WORKSPACE + "/../law-sentinel-other",
                    WORKSPACE.replace(RESOURCE_GROUP, "/resourceGroups/rg-sentinel/../"),
                    WORKSPACE + "?api-version=2024-03-01",
                    WORKSPACE + "#",
                    WORKSPACE + "\r\nX-Injected: 1",
                    WORKSPACE + "%2F..",
                    WORKSPACE + "//",
                    WORKSPACE.replace("/", "\\")),
                Combinators.combine(
                        Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.integers().between(1, 20))
                    .as(
                        (at, length) -> {
                          int from = at % WORKSPACE.length();
                          return WORKSPACE.substring(0, from)
                              + WORKSPACE.substring(Math.min(WORKSPACE.length(), from + length));
                        }),
                anyText())
            .filter(text -> !text.isBlank());
    return Arbitraries.oneOf(
        field("workspace", Arbitraries.oneOf(notTheWorkspace.map(NODES::textNode), notAString())),
        field(
            "since",
            Arbitraries.oneOf(
                Arbitraries.of(NOT_TIMES).map(NODES::textNode),
                Arbitraries.strings().alpha().ofMaxLength(10).map(s -> NODES.textNode("x" + s)),
                notAString())),
        field("dryRun", notABoolean()));
  }

  // --- helpers

  /** A list of good items with one wrong item somewhere in it. */
  private static Arbitrary<JsonNode> listWithOneWrong(
      Arbitrary<JsonNode> good, Arbitrary<JsonNode> wrong) {
    return Combinators.combine(
            good.list().ofMaxSize(3), wrong, Arbitraries.integers().greaterOrEqual(0))
        .as(
            (items, bad, at) -> {
              List<JsonNode> all = new ArrayList<>(items);
              all.add(at % (items.size() + 1), bad);
              ArrayNode array = NODES.arrayNode();
              all.forEach(array::add);
              return array;
            });
  }

  private static Arbitrary<JsonNode> strings(Arbitrary<String> items, int atLeast) {
    return items
        .list()
        .ofMinSize(atLeast)
        .ofMaxSize(3)
        .map(
            list -> {
              ArrayNode array = NODES.arrayNode();
              list.forEach(array::add);
              return array;
            });
  }

  private static Arbitrary<Map<String, JsonNode>> field(
      String name, Arbitrary<? extends JsonNode> values) {
    return values.map(value -> fields(name, value));
  }

  private static Map<String, JsonNode> fields(String name, JsonNode value) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put(name, value);
    return fields;
  }

  private static Map<String, JsonNode> fields(
      String name, JsonNode value, String otherName, JsonNode otherValue) {
    Map<String, JsonNode> fields = fields(name, value);
    fields.put(otherName, otherValue);
    return fields;
  }

  private static Arbitrary<Map<String, JsonNode>> fragments(
      Arbitrary<Map<String, JsonNode>> fragment, int most) {
    return fragment.list().ofMaxSize(most).map(HostileRequests::merged);
  }

  private static Map<String, JsonNode> merged(List<Map<String, JsonNode>> fragments) {
    Map<String, JsonNode> all = new LinkedHashMap<>();
    fragments.forEach(all::putAll);
    return all;
  }

  /** The fields in order, a later one replacing an earlier one of the same name. */
  @SafeVarargs
  private static ObjectNode object(Map<String, JsonNode>... parts) {
    return object(NODES.objectNode(), parts);
  }

  /** A copy of the base with the fields in order, a later one replacing an earlier one. */
  @SafeVarargs
  private static ObjectNode object(ObjectNode base, Map<String, JsonNode>... parts) {
    ObjectNode object = base.deepCopy();
    for (Map<String, JsonNode> part : parts) {
      part.forEach(object::set);
    }
    return object;
  }

  /** Flips the case of the letters whose position's bit is set. */
  static String flipCase(String text, long bits) {
    StringBuilder flipped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean flip = ((bits >>> (i % 64)) & 1) == 1;
      flipped.append(
          !flip
              ? c
              : Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return flipped.toString();
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) PlaybookJson.read(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
