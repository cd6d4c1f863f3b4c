package org.sentinelplaybooks.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
   * Built-in role ids as Microsoft Learn lists them:
   * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (the Storage,
   * Monitor, Security and Microsoft Sentinel sections).
   */
  static final Map<String, String> DOCUMENTED_ROLES =
      Map.of(
          "storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
          "storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
          "storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
          "monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb",
          "keyVaultSecretsUser", "4633458b-17de-408a-b874-0445c86b69e6",
          "sentinelResponder", "3e150937-b8fe-4cfb-8069-0eaf05ecd056",
          "sentinelReader", "8d289c81-5878-46d4-8554-54e1e3d8b5cb",
          "securityAdmin", "fb1c8493-542b-48eb-b624-b4c8fea62acd",
          "sentinelAutomationContributor", "f4c81013-99ee-4d62-a7ee-b3f1f648599a");

  JsonNode template;

  @BeforeEach
  void read() throws Exception {
    template = JSON.readTree(Files.readString(Path.of("azuredeploy.json")));
  }

  @Test
  void isADeploymentTemplateAndSoIsEveryNestedOne() {
    assertTrue(template.path("$schema").asText().contains("deploymentTemplate.json"));
    assertEquals("1.0.0.0", template.path("contentVersion").asText());
    assertTrue(template.path("resources").size() > 10);
    for (JsonNode resource : TemplateChecks.allResources(template)) {
      if (resource.path("type").asText().equals("Microsoft.Resources/deployments")) {
        JsonNode nested = resource.path("properties").path("template");
        assertTrue(
            nested.path("$schema").asText().toLowerCase().contains("deploymenttemplate.json#"));
        assertEquals("1.0.0.0", nested.path("contentVersion").asText());
      }
    }
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
    assertEquals(
        List.of(),
        TemplateChecks.missingSettings(
            template,
            List.of(
                "AZURE_CLIENT_ID",
                "AzureWebJobsStorage__credential",
                "AzureWebJobsStorage__clientId",
                "APPLICATIONINSIGHTS_CONNECTION_STRING",
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")));
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
    assertFalse(template.path("parameters").path("serviceNowPassword").has("defaultValue"));
  }

  @Test
  void storageIsReachedByIdentityOnly() {
    JsonNode storage = resource(template, "Microsoft.Storage/storageAccounts");
    assertEquals(false, storage.path("properties").path("allowSharedKeyAccess").asBoolean(true));
    assertEquals("TLS1_2", storage.path("properties").path("minimumTlsVersion").asText());
    JsonNode app = resource(template, "Microsoft.Web/sites");
    assertEquals("UserAssigned", app.path("identity").path("type").asText());
    JsonNode config = app.path("properties").path("functionAppConfig");
    assertEquals("java", config.path("runtime").path("name").asText());
    assertEquals("17", config.path("runtime").path("version").asText());
    assertEquals(
        "UserAssignedIdentity",
        config.path("deployment").path("storage").path("authentication").path("type").asText());
    assertEquals("managedidentity", setting(app, "AzureWebJobsStorage__credential"));
    assertEquals("FC1", resource(template, "Microsoft.Web/serverfarms").at("/sku/name").asText());
  }

  @Test
  void theServiceNowPasswordIsAKeyVaultReferenceReadWithTheAppsIdentity() {
    JsonNode app = resource(template, "Microsoft.Web/sites");
    assertTrue(setting(app, "SERVICENOW_PASSWORD").contains("@Microsoft.KeyVault(SecretUri="));
    assertTrue(
        app.path("properties")
            .path("keyVaultReferenceIdentity")
            .asText()
            .contains("Microsoft.ManagedIdentity/userAssignedIdentities"));
    JsonNode secret = resource(template, "Microsoft.KeyVault/vaults/secrets");
    assertEquals(
        "[not(empty(parameters('serviceNowPassword')))]", secret.path("condition").asText());
    assertTrue(
        resource(template, "Microsoft.KeyVault/vaults")
            .path("properties")
            .path("enableRbacAuthorization")
            .asBoolean());
  }

  @Test
  void eachPlaybookHasABridgeFromTheSentinelIncidentTriggerToItsFunction() {
    JsonNode bridge = resource(template, "Microsoft.Logic/workflows");
    assertEquals("[length(variables('playbooks'))]", bridge.path("copy").path("count").asText());
    List<String> playbooks =
        List.of(JSON.convertValue(template.at("/variables/playbooks"), String[].class));
    assertTrue(playbooks.contains("close-incident"));
    template
        .at("/variables/bridgeOptions")
        .fieldNames()
        .forEachRemaining(name -> assertTrue(playbooks.contains(name), name + " has no bridge"));
    assertEquals(
        "[parameters('closeIncidentClassification')]",
        template.at("/variables/bridgeOptions/close-incident/classification").asText());
    JsonNode definition = bridge.at("/properties/definition");
    JsonNode trigger = definition.at("/triggers/Microsoft_Sentinel_incident");
    assertEquals("ApiConnectionWebhook", trigger.path("type").asText());
    assertEquals("/incident-creation", trigger.at("/inputs/path").asText());
    JsonNode call = definition.at("/actions/Run_the_playbook_function/inputs");
    assertEquals("POST", call.path("method").asText());
    assertEquals("@parameters('functionKey')", call.at("/headers/x-functions-key").asText());
    assertEquals("SecureString", definition.at("/parameters/functionKey/type").asText());
    JsonNode values = bridge.at("/properties/parameters");
    assertTrue(
        values.at("/functionUrl/value").asText().contains("'https://{0}/api/playbooks/{1}'"));
    assertTrue(
        values
            .at("/functionKey/value")
            .asText()
            .startsWith("[listKeys(resourceId('Microsoft.Web/sites/host'"));
    assertEquals(
        "ManagedServiceIdentity",
        values
            .at("/$connections/value/azuresentinel/connectionProperties/authentication/type")
            .asText());
    assertEquals(
        "Alternative",
        resource(template, "Microsoft.Web/connections")
            .at("/properties/parameterValueType")
            .asText());
  }

  @Test
  void theExampleAutomationRuleIsDisabledAndOptional() {
    JsonNode deployment = null;
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("properties").toString().contains("Microsoft.SecurityInsights")) {
        deployment = resource;
      }
    }
    assertEquals(
        "[parameters('createExampleAutomationRule')]", deployment.path("condition").asText());
    assertFalse(template.at("/parameters/createExampleAutomationRule/defaultValue").asBoolean());
    JsonNode rule = deployment.at("/properties/template/resources/0/properties");
    assertFalse(rule.at("/triggeringLogic/isEnabled").asBoolean(true));
    assertEquals("Incidents", rule.at("/triggeringLogic/triggersOn").asText());
    assertEquals("Created", rule.at("/triggeringLogic/triggersWhen").asText());
    assertEquals("RunPlaybook", rule.at("/actions/0/actionType").asText());
  }

  static JsonNode resource(JsonNode template, String type) {
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("type").asText().equals(type)) {
        return resource;
      }
    }
    throw new AssertionError("no " + type);
  }

  static String setting(JsonNode app, String name) {
    for (JsonNode setting : app.at("/properties/siteConfig/appSettings")) {
      if (setting.path("name").asText().equals(name)) {
        return setting.path("value").asText();
      }
    }
    throw new AssertionError("no app setting " + name);
  }

  // The checks above can fail: each is shown a broken copy of the template.

  @Test
  void aSettingMissingFromTheTemplateIsReported() {
    ObjectNode broken = template.deepCopy();
    ArrayNode settings =
        (ArrayNode)
            resource(broken, "Microsoft.Web/sites").at("/properties/siteConfig/appSettings");
    for (int i = settings.size() - 1; i >= 0; i--) {
      String name = settings.get(i).path("name").asText();
      if (name.equals(Settings.SENTINEL_WORKSPACES) || name.startsWith("AzureWebJobsStorage")) {
        settings.remove(i);
      }
    }
    assertEquals(
        List.of(
            Settings.SENTINEL_WORKSPACES,
            Settings.AZURE_WEBJOBS_STORAGE,
            Settings.AZURE_WEBJOBS_STORAGE_ACCOUNT),
        TemplateChecks.missingSettings(broken, Settings.NAMES));
    assertEquals(
        List.of("A_SETTING_ADDED_TO_THE_CODE"),
        TemplateChecks.missingSettings(
            template, List.of("DRY_RUN", "A_SETTING_ADDED_TO_THE_CODE")));
  }

  @Test
  void aBrokenReferenceIsReportedInItsOwnScope() throws Exception {
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
                .replace("parameters('responderRoleId'))]", "parameters('roleId'))]"));
    assertTrue(
        TemplateChecks.unresolvedReferences(innerBroken).stream()
            .anyMatch(p -> p.startsWith("undeclared parameter 'roleId'")),
        "nested templates are checked in their own scope");

    ObjectNode outerNameInInner = template.deepCopy();
    ((ObjectNode) outerNameInInner.at("/parameters")).put("oops", "x");
    JsonNode mixed =
        JSON.readTree(
            outerNameInInner
                .toString()
                .replace(
                    "parameters('bridgeIds')[copyIndex()], parameters('readerRoleId'))]",
                    "parameters('bridgeIds')[copyIndex()], parameters('oops'))]"));
    assertTrue(
        TemplateChecks.unresolvedReferences(mixed).stream()
            .anyMatch(p -> p.startsWith("undeclared parameter 'oops'")),
        "an inner template does not see the outer template's parameters");

    ObjectNode loopRenamed = template.deepCopy();
    ((ObjectNode) loopRenamed.at("/variables/copy/0")).put("name", "bridgeIdList");
    assertTrue(
        TemplateChecks.unresolvedReferences(loopRenamed).stream()
            .anyMatch(p -> p.startsWith("undeclared variable 'bridgeIds'")));
  }

  @Test
  void aDependencyOnAnUndeclaredResourceIsReported() {
    ObjectNode broken = template.deepCopy();
    ArrayNode dependsOn = (ArrayNode) resource(broken, "Microsoft.Web/sites").path("dependsOn");
    dependsOn.add("[resourceId('Microsoft.Sql/servers', variables('planName'))]");
    dependsOn.add(
        "[extensionResourceId(resourceId('Microsoft.Web/sites', parameters('appName')),"
            + " 'Microsoft.Authorization/locks', 'x')]");
    dependsOn.add("aLoopThatDoesNotExist");
    List<String> problems = TemplateChecks.danglingResources(broken);
    assertEquals(
        3,
        problems.stream()
            .filter(
                p ->
                    p.startsWith(
                        "Microsoft.Web/sites depends on something the template does not declare"))
            .count(),
        problems.toString());

    ObjectNode noSuchType = template.deepCopy();
    ((ObjectNode) noSuchType.at("/outputs/functionAppName"))
        .put("value", "[resourceId('Microsoft.Cache/redis', variables('planName'))]");
    assertEquals(1, TemplateChecks.danglingResources(noSuchType).size());
  }

  @Test
  void aWrongOrUnusedRoleADefaultedSecretAndAMissingApiVersionAreReported() {
    ObjectNode broken = template.deepCopy();
    ObjectNode roles = (ObjectNode) broken.at("/variables/roles");
    roles.put("securityAdmin", "00000000-0000-0000-0000-000000000000");
    roles.put("owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    ((ObjectNode) broken.at("/parameters/serviceNowPassword")).put("defaultValue", "changeme");
    ((ObjectNode) resource(broken, "Microsoft.KeyVault/vaults")).remove("apiVersion");
    List<String> roleProblems = TemplateChecks.roleProblems(broken, DOCUMENTED_ROLES);
    assertEquals(
        List.of(
            "role 'securityAdmin' is 00000000-0000-0000-0000-000000000000, documented"
                + " fb1c8493-542b-48eb-b624-b4c8fea62acd",
            "role 'owner' is not in the documented table",
            "role 'owner' is never assigned"),
        roleProblems);
    assertEquals(List.of("serviceNowPassword"), TemplateChecks.secretsWithDefaults(broken));
    assertEquals(1, TemplateChecks.missingApiVersions(broken).size());

    ObjectNode emptyDefault = template.deepCopy();
    ((ObjectNode) emptyDefault.at("/parameters/serviceNowPassword")).put("defaultValue", "");
    assertEquals(List.of(), TemplateChecks.secretsWithDefaults(emptyDefault));
  }

  @Test
  void aMissingApiVersionInsideANestedTemplateIsReported() {
    ObjectNode broken = template.deepCopy();
    for (JsonNode resource : broken.path("resources")) {
      if (resource.at("/properties/template/resources").isArray()) {
        ((ObjectNode) resource.at("/properties/template/resources/0")).remove("apiVersion");
        ((ObjectNode) resource.at("/properties/template/parameters"))
            .putObject("secret")
            .put("type", "secureString")
            .put("defaultValue", "hunter2");
        break;
      }
    }
    assertEquals(1, TemplateChecks.missingApiVersions(broken).size());
    assertEquals(List.of("secret"), TemplateChecks.secretsWithDefaults(broken));
  }
}
