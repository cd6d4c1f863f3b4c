package org.sentinelplaybooks.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infra/grant-graph-permissions.sh}, run against a stand-in {@code az} that answers the few
 * calls the script makes from a fake tenant and records them.
 */
class GrantPermissionsScriptTest {
  static final String IDENTITY = "11111111-2222-3333-4444-555555555555";
  static final String GRAPH = "00000003-0000-0000-c000-000000000000";
  static final String MDE = "fc780465-2017-40d4-a0c5-307022471b92";

  /**
   * The stand-in: service principals are {@code sp-<app id>}, app role ids {@code
   * role-<permission>}; FAKE_GRANTED lists the role ids already granted, FAKE_NO_MDE removes the
   * Defender for Endpoint service principal, FAKE_UNKNOWN is a permission the tenant lacks.
   */
  static final String FAKE_AZ =
      """
      #!/usr/bin/env bash
      printf '%s\\n' "$*" >> "$FAKE_LOG"
      case "$1 $2" in
        "cloud show") echo "https://graph.microsoft.com/" ;;
        "functionapp identity") echo "11111111-2222-3333-4444-555555555555" ;;
        "ad sp")
          app="$5"
          if [ "$app" = "fc780465-2017-40d4-a0c5-307022471b92" ] && [ -n "${FAKE_NO_MDE:-}" ]; then
            echo "ERROR: Service principal '$app' doesn't exist" >&2; exit 3
          fi
          if [ "$7" = "id" ]; then echo "sp-$app"; exit 0; fi
          name=$(sed -n "s/.*value=='\\([^']*\\)'.*/\\1/p" <<<"$7")
          [ "$name" = "${FAKE_UNKNOWN:-}" ] || echo "role-$name" ;;
        "rest --method")
          case "$3 $5" in
            GET*appRoleAssignments) for r in ${FAKE_GRANTED:-}; do echo "$r"; done ;;
            GET*roleAssignments*) echo 0 ;;
            POST*) ;;
          esac ;;
        *) echo "unexpected az $*" >&2; exit 9 ;;
      esac
      """;

  @TempDir Path dir;
  Path log;

  @BeforeEach
  void fakeAz() throws IOException {
    assumeTrue(
        Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash")),
        "needs bash");
    Path az = dir.resolve("az");
    Files.writeString(az, FAKE_AZ);
    assertTrue(az.toFile().setExecutable(true));
    log = dir.resolve("calls.log");
    Files.writeString(log, "");
  }

  record Run(int exit, String out, String err, List<String> calls) {
    List<String> posts() {
      return calls.stream().filter(c -> c.startsWith("rest --method POST")).toList();
    }
  }

  Run run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "grant-graph-permissions.sh"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
    builder.environment().put("FAKE_LOG", log.toString());
    builder.environment().putAll(env);
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script ends");
    return new Run(
        process.exitValue(), Files.readString(out), Files.readString(err), Files.readAllLines(log));
  }

  @Test
  void aDryRunPlansTheGraphPermissionsOfEveryPlaybookAndAddsNothing() throws Exception {
    Run run = run(Map.of(), "--principal-id", IDENTITY, "--dry-run");
    assertEquals(0, run.exit(), run.err());
    for (String permission :
        List.of(
            "IdentityRiskyUser.ReadWrite.All",
            "User.ReadWrite.All",
            "Policy.Read.All",
            "Policy.ReadWrite.ConditionalAccess",
            "GroupMember.Read.All",
            "RoleManagement.Read.Directory",
            "SecurityAlert.ReadWrite.All",
            "SecurityIncident.Read.All")) {
      assertTrue(
          run.out().contains("planned: " + permission + " (role-" + permission + ")"), run.out());
    }
    assertFalse(run.out().contains("planned: Ti.ReadWrite.All"), "Defender only when asked");
    assertTrue(run.out().contains("WindowsDefenderATP: not asked"), run.out());
    assertTrue(run.calls().stream().noneMatch(c -> c.contains(MDE)), "MDE is not even looked up");
    assertEquals(List.of(), run.posts());
  }

  @Test
  void withMdeItGrantsTiReadWriteAllOnTheDefenderForEndpointApiAndKeepsWhatIsGranted()
      throws Exception {
    Run run =
        run(
            Map.of("FAKE_GRANTED", "role-User.ReadWrite.All role-IdentityRiskyUser.ReadWrite.All"),
            "--principal-id",
            IDENTITY,
            "--mde");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("already: User.ReadWrite.All"), run.out());
    assertTrue(run.out().contains("done: Ti.ReadWrite.All (role-Ti.ReadWrite.All)"), run.out());
    List<String> posts = run.posts();
    assertEquals(7, posts.size(), "six Graph permissions not yet granted and Ti: " + posts);
    assertTrue(
        posts.stream()
            .anyMatch(
                p ->
                    p.contains("\"resourceId\":\"sp-" + MDE + "\"")
                        && p.contains("\"appRoleId\":\"role-Ti.ReadWrite.All\"")
                        && p.contains("\"principalId\":\"" + IDENTITY + "\"")),
        posts.toString());
    for (String graphPermission :
        List.of("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess")) {
      assertTrue(
          posts.stream()
              .anyMatch(
                  p ->
                      p.contains("\"resourceId\":\"sp-" + GRAPH + "\"")
                          && p.contains("\"appRoleId\":\"role-" + graphPermission + "\"")),
          graphPermission);
    }
    assertTrue(
        posts.stream()
            .allMatch(
                p ->
                    p.contains(
                        "https://graph.microsoft.com/v1.0/servicePrincipals/"
                            + IDENTITY
                            + "/appRoleAssignments")));
  }

  @Test
  void givenTheAppsNameItGrantsToTheFunctionAppsSystemAssignedIdentity() throws Exception {
    Run run = run(Map.of(), "--app-name", "sentinel-playbooks-x", "--resource-group", "rg-sp");
    assertEquals(0, run.exit(), run.err());
    assertEquals(
        "functionapp identity show --name sentinel-playbooks-x --resource-group rg-sp --query"
            + " principalId --output tsv",
        run.calls().get(0),
        "the Function App's own identity, not a user-assigned one");
    assertTrue(run.out().contains("identity: " + IDENTITY), run.out());
    assertEquals(8, run.posts().size(), "every Graph permission: " + run.posts());
    assertTrue(
        run.posts().stream()
            .allMatch(p -> p.contains("/servicePrincipals/" + IDENTITY + "/appRoleAssignments")));
    assertTrue(
        run.out().contains("/administrativeUnits/"), "the narrower User Administrator scope");
  }

  @Test
  void theOldIdentityNameOptionIsRefused() throws Exception {
    Run run = run(Map.of(), "--identity-name", "sp-identity", "--resource-group", "rg-sp");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("unknown argument '--identity-name'"), run.err());
    assertEquals(List.of(), run.calls());
  }

  @Test
  void withMdeInATenantWithoutDefenderForEndpointItStopsAndSaysWhy() throws Exception {
    Run run = run(Map.of("FAKE_NO_MDE", "1"), "--principal-id", IDENTITY, "--mde");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("no service principal of WindowsDefenderATP (" + MDE), run.err());
    assertFalse(run.out().contains("Ti.ReadWrite.All ("), run.out());
  }

  @Test
  void aPermissionTheTenantDoesNotHaveStopsTheScript() throws Exception {
    Run run = run(Map.of("FAKE_UNKNOWN", "Policy.Read.All"), "--principal-id", IDENTITY);
    assertEquals(1, run.exit());
    assertTrue(
        run.err().contains("Microsoft Graph has no application permission 'Policy.Read.All'"),
        run.err());
    assertTrue(run.posts().size() <= 2, "nothing after the missing permission is granted");
  }

  @Test
  void badArgumentsAreRefusedBeforeAnyCall() throws Exception {
    assertEquals(2, run(Map.of(), "--principal-id", "not-an-id").exit());
    assertEquals(2, run(Map.of(), "--mdee").exit());
    assertEquals(List.of(), Files.readAllLines(log));
  }
}
