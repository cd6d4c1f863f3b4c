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
   * Monitor, Security, Microsoft Sentinel, Networking and General sections).
   */
  static final Map<String, String> DOCUMENTED_ROLES =
      Map.ofEntries(
          Map.entry("storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"),
          Map.entry("storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),
          Map.entry("storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),
          Map.entry("monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb"),
          Map.entry("keyVaultSecretsUser", "4633458b-17de-408a-b874-0445c86b69e6"),
          Map.entry("sentinelResponder", "3e150937-b8fe-4cfb-8069-0eaf05ecd056"),
          Map.entry("sentinelReader", "8d289c81-5878-46d4-8554-54e1e3d8b5cb"),
          Map.entry("securityAdmin", "fb1c8493-542b-48eb-b624-b4c8fea62acd"),
          Map.entry("sentinelAutomationContributor", "f4c81013-99ee-4d62-a7ee-b3f1f648599a"),
          Map.entry("networkContributor", "4d97b98b-1d4f-4787-a291-c67834d212e7"),
          Map.entry("reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"));

  /**
   * Roles no identity of the template gets (General and Privileged sections of the same page): each
   * can change anything, or grant access to anything, in its scope.
   */
  static final Map<String, String> BROAD_ROLES =
      Map.of(
          "Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          "Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c",
          "User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
          "Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168");

  static final String NSG = "Microsoft.Network/networkSecurityGroups";
  static final String IP_GROUP = "Microsoft.Network/ipGroups";

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
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
                "EXPIRE_BLOCKS_SCHEDULE",
                "RECONCILE_SCHEDULE")));
  }

  @Test
  void blockIpSettingsComeFromTheirParametersWithTheCodesDefaults() {
    JsonNode app = resource(template, "Microsoft.Web/sites");
    Map<String, String> expected =
        Map.of(
            Settings.BLOCK_NSG_IDS,
            "[join(parameters('blockNsgIds'), ',')]",
            Settings.BLOCK_NSG_RULE_PRIORITY,
            "[string(parameters('blockNsgRulePriority'))]",
            Settings.BLOCK_IP_GROUP_IDS,
            "[join(parameters('blockIpGroupIds'), ',')]",
            Settings.BLOCK_NAMED_LOCATION_ID,
            "[parameters('blockNamedLocationId')]",
            Settings.BLOCK_MDE,
            "[string(parameters('blockMde'))]",
            Settings.BLOCK_TTL,
            "[parameters('blockTtl')]",
            Settings.BLOCK_MAX_TTL,
            "[parameters('blockMaxTtl')]",
            Settings.BLOCK_NEVER,
            "[parameters('blockNever')]",
            "EXPIRE_BLOCKS_SCHEDULE",
            "[parameters('expireBlocksSchedule')]");
    expected.forEach((name, value) -> assertEquals(value, setting(app, name), name));

    JsonNode parameters = template.path("parameters");
    for (String array : List.of("blockNsgIds", "blockIpGroupIds")) {
      assertEquals("array", parameters.at("/" + array + "/type").asText(), array);
      assertEquals(0, parameters.at("/" + array + "/defaultValue").size(), array);
      assertTrue(parameters.at("/" + array + "/defaultValue").isArray(), array);
    }
    JsonNode priority = parameters.path("blockNsgRulePriority");
    assertEquals("int", priority.path("type").asText());
    assertEquals(100, priority.path("defaultValue").asInt());
    assertEquals(100, priority.path("minValue").asInt());
    assertEquals(4096, priority.path("maxValue").asInt());
    assertEquals("bool", parameters.at("/blockMde/type").asText());
    assertFalse(parameters.at("/blockMde/defaultValue").asBoolean(true));
    assertEquals("", parameters.at("/blockNamedLocationId/defaultValue").asText("x"));
    assertEquals("", parameters.at("/blockNever/defaultValue").asText("x"));
    assertEquals("P7D", parameters.at("/blockTtl/defaultValue").asText());
    assertEquals("P90D", parameters.at("/blockMaxTtl/defaultValue").asText());
    assertEquals(
        java.time.Duration.ofDays(7),
        java.time.Duration.parse(parameters.at("/blockTtl/defaultValue").asText()));
    String schedule = parameters.at("/expireBlocksSchedule/defaultValue").asText();
    assertEquals("0 */15 * * * *", schedule);
    assertEquals(6, schedule.split(" ").length, "NCRONTAB has six fields, seconds first");
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
    for (String playbook :
        List.of("close-incident", "create-ticket", "confirm-risky-user", "block-ip")) {
      assertTrue(playbooks.contains(playbook), playbook + " has no bridge");
    }
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
  void blockIpGetsNetworkContributorOnEachListedNsgAndIpGroupOnly() {
    for (String loop : List.of("blockNsgRoles", "blockIpGroupRoles")) {
      assertEquals(
          "[parameters('assignBlockNetworkRoles')]",
          blockDeployment(template, loop).path("condition").asText(),
          loop);
    }
    assertTrue(template.at("/parameters/assignBlockNetworkRoles/defaultValue").asBoolean(false));
    assertEquals(
        List.of(),
        TemplateChecks.resourceScopedRoleProblems(template, "blockNsgRoles", "blockNsgIds", NSG));
    assertEquals(
        List.of(),
        TemplateChecks.resourceScopedRoleProblems(
            template, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP));

    List<TemplateChecks.RoleAssignment> assignments = TemplateChecks.roleAssignments(template);
    assertEquals(
        List.of(
            new TemplateChecks.RoleAssignment(
                "networkContributor",
                "[format('" + NSG + "/{0}', parameters('nsgName'))]",
                "blockNsgRoles"),
            new TemplateChecks.RoleAssignment(
                "networkContributor",
                "[format('" + IP_GROUP + "/{0}', parameters('ipGroupName'))]",
                "blockIpGroupRoles")),
        assignments.stream().filter(a -> a.role().equals("networkContributor")).toList(),
        "Network Contributor only on the listed NSGs and IP Groups");
    assertEquals(
        List.of(
            new TemplateChecks.RoleAssignment("reader", "resourceGroup", "blockNsgRoles"),
            new TemplateChecks.RoleAssignment("reader", "resourceGroup", "blockIpGroupRoles")),
        assignments.stream().filter(a -> a.role().equals("reader")).toList(),
        "Reader only on the resource groups of the listed NSGs and IP Groups");
  }

  @Test
  void noRoleIsBroaderThanAPlaybookNeeds() {
    assertEquals(List.of(), TemplateChecks.broadRoles(template, BROAD_ROLES));
    List<TemplateChecks.RoleAssignment> assignments = TemplateChecks.roleAssignments(template);
    assertEquals(13, assignments.size(), assignments.toString());
    for (TemplateChecks.RoleAssignment assignment : assignments) {
      if (assignment.scope().equals("subscription")) {
        assertEquals("securityAdmin", assignment.role(), "only Security Admin is per subscription");
      }
    }
  }

  @Test
  void nestedDeploymentNamesFitInSixtyFourCharacters() {
    assertEquals(List.of(), TemplateChecks.longDeploymentNames(template));
    assertEquals(
        5,
        TemplateChecks.allResources(template).stream()
            .filter(r -> r.path("type").asText().equals("Microsoft.Resources/deployments"))
            .count());
  }

  @Test
  void theReadmeDocumentsEveryParameterRoleAndPermission() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertEquals(List.of(), TemplateChecks.undocumented(template, readme));
    String script = Files.readString(Path.of("grant-graph-permissions.sh"));
    for (String permission :
        List.of(
            "IdentityRiskyUser.ReadWrite.All",
            "User.ReadWrite.All",
            "GroupMember.Read.All",
            "RoleManagement.Read.Directory",
            "Policy.Read.All",
            "Policy.ReadWrite.ConditionalAccess",
            "Ti.ReadWrite.All")) {
      assertTrue(script.contains("\"" + permission + "\""), permission + " in the script");
      assertTrue(readme.contains("`" + permission + "`"), permission + " in the README");
    }

    String withoutBlockMentions =
        readme.replace("`blockNsgIds`", "blockNsgIds").replace("(`acdd72a7-", "(acdd72a7-");
    assertEquals(
        List.of("parameter blockNsgIds", "role reader"),
        TemplateChecks.undocumented(template, withoutBlockMentions));
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
  void aBlockRoleOnTheWrongScopeIsReported() throws Exception {
    ObjectNode wholeGroup = template.deepCopy();
    ((ObjectNode)
            blockDeployment(wholeGroup, "blockNsgRoles").at("/properties/template/resources/0"))
        .remove("scope");
    assertEquals(
        List.of("blockNsgRoles: Network Contributor is not scoped to one " + NSG + ": "),
        TemplateChecks.resourceScopedRoleProblems(wholeGroup, "blockNsgRoles", "blockNsgIds", NSG));

    ObjectNode otherType = template.deepCopy();
    ((ObjectNode)
            blockDeployment(otherType, "blockIpGroupRoles").at("/properties/template/resources/0"))
        .put("scope", "[format('" + NSG + "/{0}', parameters('ipGroupName'))]");
    assertEquals(
        1,
        TemplateChecks.resourceScopedRoleProblems(
                otherType, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP)
            .size());

    JsonNode wrongSegment =
        JSON.readTree(
            template
                .toString()
                .replace(
                    "split(parameters('blockNsgIds')[copyIndex()], '/')[8]",
                    "split(parameters('blockNsgIds')[copyIndex()], '/')[7]")
                .replace(
                    "split(parameters('blockIpGroupIds')[copyIndex()], '/')[2]",
                    "split(parameters('blockNsgIds')[copyIndex()], '/')[2]"));
    assertEquals(
        List.of(
            "blockNsgRoles resource name is [split(parameters('blockNsgIds')[copyIndex()], '/')[7]],"
                + " expected [split(parameters('blockNsgIds')[copyIndex()], '/')[8]]"),
        TemplateChecks.resourceScopedRoleProblems(
            wrongSegment, "blockNsgRoles", "blockNsgIds", NSG));
    assertEquals(
        1,
        TemplateChecks.resourceScopedRoleProblems(
                wrongSegment, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP)
            .size(),
        "an IP Group's assignment deployed into an NSG's subscription");

    ObjectNode extraRole = template.deepCopy();
    ((ObjectNode)
            blockDeployment(extraRole, "blockNsgRoles").at("/properties/parameters/readerRoleId"))
        .put("value", "[variables('roles').networkContributor]");
    assertEquals(
        List.of(
            "blockNsgRoles: Network Contributor is not scoped to one " + NSG + ": ",
            "blockNsgRoles assigns Network Contributor 2 and Reader 0 times, not once each"),
        TemplateChecks.resourceScopedRoleProblems(extraRole, "blockNsgRoles", "blockNsgIds", NSG),
        "Network Contributor on the whole resource group");

    ObjectNode gone = template.deepCopy();
    ((ObjectNode) blockDeployment(gone, "blockIpGroupRoles").path("copy")).put("name", "other");
    assertEquals(
        List.of("no nested deployment loop 'blockIpGroupRoles'"),
        TemplateChecks.resourceScopedRoleProblems(
            gone, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP));
  }

  @Test
  void aBroadRoleOrARoleFromOutsideTheTableIsReported() {
    ObjectNode owner = template.deepCopy();
    ((ObjectNode) owner.at("/variables/roles")).put("reader", BROAD_ROLES.get("Owner"));
    assertEquals(List.of("role 'reader' is Owner"), TemplateChecks.broadRoles(owner, BROAD_ROLES));

    ObjectNode literal = template.deepCopy();
    ((ObjectNode)
            blockDeployment(literal, "blockNsgRoles").at("/properties/parameters/readerRoleId"))
        .put("value", BROAD_ROLES.get("Contributor"));
    assertEquals(
        List.of(
            "an assignment's role is not from the role table:"
                + " [subscriptionResourceId('Microsoft.Authorization/roleDefinitions',"
                + " parameters('readerRoleId'))]"),
        TemplateChecks.broadRoles(literal, BROAD_ROLES));
  }

  @Test
  void aDeploymentNameThatMayExceedSixtyFourCharactersIsReported() {
    ObjectNode broken = template.deepCopy();
    ((ObjectNode) blockDeployment(broken, "blockIpGroupRoles"))
        .put(
            "name",
            "[format('sp-block-ip-group-network-contributor-and-reader-{0}-{1}', variables('deploymentSuffix'),"
                + " copyIndex())]");
    ((ObjectNode) blockDeployment(broken, "blockNsgRoles"))
        .put("name", "[format('sp-block-nsg-{0}', parameters('appName'))]");
    assertEquals(
        List.of(
            "cannot bound the length of parameters('appName') in [format('sp-block-nsg-{0}',"
                + " parameters('appName'))]",
            "[format('sp-block-ip-group-network-contributor-and-reader-{0}-{1}', variables('deploymentSuffix'),"
                + " copyIndex())] may be 66 characters long"),
        TemplateChecks.longDeploymentNames(broken));
  }

  static JsonNode blockDeployment(JsonNode template, String loop) {
    for (JsonNode resource : template.path("resources")) {
      if (loop.equals(resource.at("/copy/name").asText())) {
        return resource;
      }
    }
    throw new AssertionError("no loop " + loop);
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
