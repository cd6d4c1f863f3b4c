package org.sentinelplaybooks.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Settings;

/** {@code infra/azuredeploy.json}, checked here where no Azure and no Bicep compiler run. */
class TemplateTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Built-in role ids as Microsoft Learn's "Azure built-in roles" page lists them
   * (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
   */
  static final Map<String, String> DOCUMENTED_ROLES =
      Map.of(
          "storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
          "storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
          "storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
          "monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb",
          "keyVaultSecretsUser", "4633458b-17de-408a-b874-0445c86b69e6",
          "sentinelResponder", "3e150937-b8fe-4cfb-8069-0eaf05ecd056",
          "securityAdmin", "fb1c8493-542b-48eb-b624-b4c8fea62acd",
          "sentinelAutomationContributor", "f4c81013-99ee-4d62-a7ee-b3f1f648599a");

  JsonNode template;

  @BeforeEach
  void read() throws Exception {
    template = JSON.readTree(Files.readString(Path.of("azuredeploy.json")));
  }

  @Test
  void isADeploymentTemplate() {
    assertTrue(template.path("$schema").asText().contains("deploymentTemplate.json"));
    assertEquals("1.0.0.0", template.path("contentVersion").asText());
    assertTrue(template.path("resources").size() > 10);
  }

  @Test
  void everyParameterAndVariableReferenceResolves() {
    assertEquals(List.of(), TemplateChecks.unresolvedReferences(template));
  }

  @Test
  void everyDependencyAndResourceIdPointsAtADeclaredResource() {
    assertEquals(List.of(), TemplateChecks.danglingResources(template));
  }

  @Test
  void everySettingTheCodeReadsIsSetOnTheFunctionApp() {
    assertEquals(List.of(), TemplateChecks.missingSettings(template, Settings.NAMES));
  }

  @Test
  void roleIdsAreTheDocumentedBuiltInOnesAndEachIsAssigned() {
    assertEquals(List.of(), TemplateChecks.roleProblems(template, DOCUMENTED_ROLES));
    assertEquals(
        DOCUMENTED_ROLES.keySet(),
        Map.copyOf(JSON.convertValue(template.path("variables").path("roles"), Map.class))
            .keySet());
  }

  @Test
  void everyResourceHasAnApiVersionAndNoSecretHasADefault() {
    assertEquals(List.of(), TemplateChecks.missingApiVersions(template));
    assertEquals(List.of(), TemplateChecks.secretsWithDefaults(template));
  }

  @Test
  void storageIsReachedByIdentityOnly() {
    JsonNode storage = resource(template, "Microsoft.Storage/storageAccounts");
    assertEquals(false, storage.path("properties").path("allowSharedKeyAccess").asBoolean(true));
    JsonNode app = resource(template, "Microsoft.Web/sites");
    assertEquals("UserAssigned", app.path("identity").path("type").asText());
    assertEquals(
        "java",
        app.path("properties").path("functionAppConfig").path("runtime").path("name").asText());
    assertEquals(
        "17",
        app.path("properties").path("functionAppConfig").path("runtime").path("version").asText());
    assertTrue(
        app.toString()
            .contains("\"AzureWebJobsStorage__credential\",\"value\":\"managedidentity\""));
  }

  static JsonNode resource(JsonNode template, String type) {
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("type").asText().equals(type)) {
        return resource;
      }
    }
    throw new AssertionError("no " + type);
  }

  // The checks above can fail: each is shown a broken copy of the template.

  @Test
  void aSettingMissingFromTheTemplateIsReported() {
    ObjectNode broken = template.deepCopy();
    ArrayNode settings =
        (ArrayNode)
            resource(broken, "Microsoft.Web/sites")
                .path("properties")
                .path("siteConfig")
                .path("appSettings");
    for (int i = 0; i < settings.size(); i++) {
      if (settings.get(i).path("name").asText().equals(Settings.SENTINEL_WORKSPACES)) {
        settings.remove(i);
      }
    }
    assertEquals(
        List.of(Settings.SENTINEL_WORKSPACES),
        TemplateChecks.missingSettings(broken, Settings.NAMES));
    assertEquals(
        List.of("A_SETTING_ADDED_TO_THE_CODE"),
        TemplateChecks.missingSettings(
            template, List.of("DRY_RUN", "A_SETTING_ADDED_TO_THE_CODE")));
  }

  @Test
  void aBrokenReferenceIsReported() throws Exception {
    JsonNode broken =
        JSON.readTree(template.toString().replace("variables('planName')", "variables('plan')"));
    List<String> problems = TemplateChecks.unresolvedReferences(broken);
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("undeclared variable 'plan'")),
        problems.toString());
    JsonNode innerBroken =
        JSON.readTree(
            template
                .toString()
                .replace(
                    "workspaces/{0}', parameters('workspaceName'))",
                    "workspaces/{0}', parameters('workspace'))"));
    assertTrue(
        TemplateChecks.unresolvedReferences(innerBroken).stream()
            .anyMatch(p -> p.contains("'workspace'")),
        "nested templates are checked in their own scope");
  }

  @Test
  void aDependencyOnAnUndeclaredResourceIsReported() {
    ObjectNode broken = template.deepCopy();
    ((ArrayNode) resource(broken, "Microsoft.Web/sites").path("dependsOn"))
        .add("[resourceId('Microsoft.Sql/servers', variables('planName'))]");
    List<String> problems = TemplateChecks.danglingResources(broken);
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.startsWith(
                        "Microsoft.Web/sites depends on something the template does not declare")),
        problems.toString());
  }

  @Test
  void aWrongRoleIdADefaultedSecretAndAMissingApiVersionAreReported() {
    ObjectNode broken = template.deepCopy();
    ((ObjectNode) broken.path("variables").path("roles"))
        .put("securityAdmin", "00000000-0000-0000-0000-000000000000");
    ((ObjectNode) broken.path("parameters").path("serviceNowPassword"))
        .put("defaultValue", "changeme");
    ((ObjectNode) resource(broken, "Microsoft.KeyVault/vaults")).remove("apiVersion");
    assertEquals(1, TemplateChecks.roleProblems(broken, DOCUMENTED_ROLES).size());
    assertEquals(List.of("serviceNowPassword"), TemplateChecks.secretsWithDefaults(broken));
    assertEquals(1, TemplateChecks.missingApiVersions(broken).size());
  }
}
