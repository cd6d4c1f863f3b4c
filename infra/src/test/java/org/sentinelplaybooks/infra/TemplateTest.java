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
import org.sentinelplaybooks.playbooks.block.BlockSettings;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

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
          Map.entry("storageBlobDataContributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
          Map.entry("storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88"),
          Map.entry("storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"),
          Map.entry("monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb"),
          Map.entry("keyVaultSecretsUser", "4633458b-17de-408a-b874-0445c86b69e6"),
          Map.entry("sentinelResponder", "3e150937-b8fe-4cfb-8069-0eaf05ecd056"),
          Map.entry("sentinelReader", "8d289c81-5878-46d4-8554-54e1e3d8b5cb"),
          Map.entry("sentinelAutomationContributor", "f4c81013-99ee-4d62-a7ee-b3f1f648599a"));

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

  /**
   * Built-in roles that hold more than a playbook needs where the template used to assign them
   * (same page): Security Admin also edits security policies, Defender plans and exemptions;
   * Network Contributor is all of Microsoft.Network; Storage Blob Data Owner writes every container
   * and sets ACLs; Reader reads everything in its scope. The custom roles below replace them.
   */
  static final Map<String, String> BROADER_THAN_NEEDED =
      Map.of(
          "Security Admin", "fb1c8493-542b-48eb-b624-b4c8fea62acd",
          "Network Contributor", "4d97b98b-1d4f-4787-a291-c67834d212e7",
          "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
          "Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7");

  /**
   * The custom roles' actions, each as "Azure permissions for Security" lists it
   * (https://learn.microsoft.com/azure/role-based-access-control/permissions/security,
   * Microsoft.Security): the alert reads and the dismiss, resolve and activate actions the
   * Microsoft.Security 2022-01-01 alerts API (azure-rest-api-specs
   * specification/security/resource-manager/Microsoft.Security/stable/2022-01-01/alerts.json)
   * calls, and the suppression rules' read, write and delete (alertsSuppressionRules.json of the
   * same folder). The page lists no action for the API's {@code inProgress}, which no playbook
   * calls.
   */
  static final List<String> DEFENDER_ALERT_ACTIONS =
      List.of(
          "Microsoft.Security/alerts/read",
          "Microsoft.Security/locations/alerts/read",
          "Microsoft.Security/locations/alerts/dismiss/action",
          "Microsoft.Security/locations/alerts/resolve/action",
          "Microsoft.Security/locations/alerts/activate/action",
          "Microsoft.Security/alertsSuppressionRules/read",
          "Microsoft.Security/alertsSuppressionRules/write",
          "Microsoft.Security/alertsSuppressionRules/delete");

  /**
   * As "Azure permissions for Networking" lists them
   * (https://learn.microsoft.com/azure/role-based-access-control/permissions/networking): the NSG
   * GET, the security rule PUT and DELETE (networkSecurityGroup.json of
   * specification/network/resource-manager/Microsoft.Network/stable/2024-05-01), the IP Group GET
   * and PUT (ipGroups.json) with the IP Group's validate and updateReferences actions; no {@code
   * join/action} (that is for attaching an NSG or IP Group to something else) and no delete of
   * either.
   */
  static final List<String> BLOCK_IP_NETWORK_ACTIONS =
      List.of(
          "Microsoft.Network/networkSecurityGroups/read",
          "Microsoft.Network/networkSecurityGroups/securityRules/read",
          "Microsoft.Network/networkSecurityGroups/securityRules/write",
          "Microsoft.Network/networkSecurityGroups/securityRules/delete",
          "Microsoft.Network/ipGroups/read",
          "Microsoft.Network/ipGroups/write",
          "Microsoft.Network/ipGroups/validate/action",
          "Microsoft.Network/ipGroups/updateReferences/action");

  /**
   * The status of the Azure-AsyncOperation URL the network writes answer with, {@code
   * /subscriptions/{s}/providers/Microsoft.Network/locations/{l}/operations/{id}} (same page).
   */
  static final List<String> OPERATION_READER_ACTIONS =
      List.of("Microsoft.Network/locations/operations/read");

  static final Map<String, List<String>> CUSTOM_ROLES =
      Map.of(
          "defenderAlerts", DEFENDER_ALERT_ACTIONS,
          "blockIpNetwork", BLOCK_IP_NETWORK_ACTIONS,
          "networkOperationReader", OPERATION_READER_ACTIONS);

  /** The app's system-assigned identity, as the template names its principal. */
  static final String APP_PRINCIPAL =
      "[reference(resourceId('Microsoft.Web/sites', parameters('appName')), '2024-04-01',"
          + " 'Full').identity.principalId]";

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
    assertEquals(List.of(), TemplateChecks.missingSettings(template, PlaybookSettings.NAMES));
    assertEquals(
        List.of(),
        TemplateChecks.missingSettings(
            template,
            List.of(
                "AzureWebJobsStorage__credential",
                "PROTECTED_ROLES",
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
            BlockSettings.BLOCK_NSG_IDS,
            "[join(parameters('blockNsgIds'), ',')]",
            BlockSettings.BLOCK_NSG_RULE_PRIORITY,
            "[string(parameters('blockNsgRulePriority'))]",
            BlockSettings.BLOCK_IP_GROUP_IDS,
            "[join(parameters('blockIpGroupIds'), ',')]",
            BlockSettings.BLOCK_NAMED_LOCATION_ID,
            "[parameters('blockNamedLocationId')]",
            BlockSettings.BLOCK_MDE,
            "[string(parameters('blockMde'))]",
            BlockSettings.BLOCK_TTL,
            "[parameters('blockTtl')]",
            BlockSettings.BLOCK_MAX_TTL,
            "[parameters('blockMaxTtl')]",
            BlockSettings.BLOCK_NEVER,
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
    assertTrue(storage.path("properties").path("supportsHttpsTrafficOnly").asBoolean(false));
    JsonNode app = resource(template, "Microsoft.Web/sites");
    JsonNode config = app.path("properties").path("functionAppConfig");
    assertEquals("java", config.path("runtime").path("name").asText());
    assertEquals("17", config.path("runtime").path("version").asText());
    assertEquals("managedidentity", setting(app, "AzureWebJobsStorage__credential"));
    assertEquals("Authorization=AAD", setting(app, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
    assertEquals("FC1", resource(template, "Microsoft.Web/serverfarms").at("/sku/name").asText());
  }

  @Test
  void theServiceNowPasswordIsAKeyVaultReferenceReadWithTheAppsIdentity() {
    JsonNode app = resource(template, "Microsoft.Web/sites");
    assertTrue(setting(app, "SERVICENOW_PASSWORD").contains("@Microsoft.KeyVault(SecretUri="));
    assertEquals(
        "SystemAssigned", app.path("properties").path("keyVaultReferenceIdentity").asText());
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
    assertEquals(
        List.of("inputs"),
        List.of(
            JSON.convertValue(
                definition.at(
                    "/actions/Run_the_playbook_function/runtimeConfiguration/secureData/properties"),
                String[].class)),
        "the key is not shown in run history");
    JsonNode values = bridge.at("/properties/parameters");
    assertTrue(
        values.at("/functionUrl/value").asText().contains("'https://{0}/api/playbooks/{1}'"));
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

  /**
   * Each bridge holds the key of its own function and nothing else: the function's default key
   * (REST: Web Apps - List Function Keys, POST
   * .../Microsoft.Web/sites/{name}/functions/{functionName}/listkeys,
   * https://learn.microsoft.com/rest/api/appservice/web-apps/list-function-keys), never a host key,
   * which would open every function of the app.
   */
  @Test
  void eachBridgeHoldsOnlyItsOwnFunctionsKeyAndNoneReachesReconcile() {
    assertEquals(List.of(), TemplateChecks.hostKeyReferences(template));
    JsonNode bridge = resource(template, "Microsoft.Logic/workflows");
    assertEquals(
        "[listKeys(resourceId('Microsoft.Web/sites/functions', parameters('appName'),"
            + " variables('playbooks')[copyIndex()]), '2024-04-01').default]",
        bridge.at("/properties/parameters/functionKey/value").asText());
    assertEquals(
        1,
        template.toString().split("listKeys\\(", -1).length - 1,
        "the bridges' key is the template's only listKeys");
    List<String> playbooks =
        List.of(JSON.convertValue(template.at("/variables/playbooks"), String[].class));
    assertFalse(playbooks.contains("reconcile"), "no bridge, hence no key, for reconcile");
    assertTrue(
        bridge
            .at("/properties/parameters/functionUrl/value")
            .asText()
            .contains("/api/playbooks/{1}"),
        "a bridge's URL is under playbooks/, where reconcile's route is not");
    assertEquals("[parameters('createBridges')]", bridge.path("condition").asText());
    assertFalse(template.at("/parameters/createBridges/defaultValue").asBoolean(true));
    assertEquals(
        "SystemAssigned", bridge.path("identity").path("type").asText(), "the bridge's identity");
  }

  @Test
  void theAppsIdentityIsSystemAssignedSoNothingElseCanWearIt() {
    for (JsonNode resource : TemplateChecks.allResources(template)) {
      assertFalse(
          resource.path("type").asText().startsWith("Microsoft.ManagedIdentity"),
          "no user-assigned identity: " + resource.path("name"));
    }
    assertFalse(template.toString().contains("userAssignedIdentities"));
    assertFalse(template.toString().contains("UserAssigned"));
    JsonNode app = resource(template, "Microsoft.Web/sites");
    assertEquals("SystemAssigned", app.at("/identity/type").asText());
    assertEquals(
        "SystemAssignedIdentity",
        app.at("/properties/functionAppConfig/deployment/storage/authentication/type").asText());
    assertEquals(
        List.of("AZURE_CLIENT_ID", "AzureWebJobsStorage__clientId"),
        TemplateChecks.missingSettings(
            template, List.of("AZURE_CLIENT_ID", "AzureWebJobsStorage__clientId")),
        "no client id: the system-assigned identity is the default one");
    assertEquals(
        java.util.Set.of(
            APP_PRINCIPAL,
            "[parameters('sentinelServicePrincipalObjectId')]",
            "[reference(parameters('bridgeIds')[copyIndex()], '2019-05-01', 'Full').identity.principalId]"),
        TemplateChecks.assignedPrincipals(template),
        "roles go to the app, Azure Security Insights and the bridges only");
    assertEquals(APP_PRINCIPAL, template.at("/outputs/identityPrincipalId/value").asText());
  }

  @Test
  void eachRoleAssignmentHasTheRoleAndScopeItsPlaybooksNeed() {
    String storage = "[format('Microsoft.Storage/storageAccounts/{0}', variables('storageName'))]";
    String workspace =
        "[format('Microsoft.OperationalInsights/workspaces/{0}', parameters('workspaceName'))]";
    assertEquals(
        List.of(
            new TemplateChecks.RoleAssignment(
                "storageBlobDataContributor",
                "[format('Microsoft.Storage/storageAccounts/{0}/blobServices/default/containers/{1}',"
                    + " variables('storageName'), variables('appContainers')[copyIndex()])]",
                ""),
            new TemplateChecks.RoleAssignment("storageQueueDataContributor", storage, ""),
            new TemplateChecks.RoleAssignment("storageTableDataContributor", storage, ""),
            new TemplateChecks.RoleAssignment(
                "monitoringMetricsPublisher",
                "[format('Microsoft.Insights/components/{0}', variables('insightsName'))]",
                ""),
            new TemplateChecks.RoleAssignment(
                "keyVaultSecretsUser",
                "[format('Microsoft.KeyVault/vaults/{0}', variables('vaultName'))]",
                ""),
            new TemplateChecks.RoleAssignment("sentinelAutomationContributor", "resourceGroup", ""),
            new TemplateChecks.RoleAssignment("sentinelResponder", workspace, "workspaceRoles"),
            new TemplateChecks.RoleAssignment("sentinelReader", workspace, "workspaceRoles"),
            new TemplateChecks.RoleAssignment("defenderAlerts", "subscription", "defenderRoles"),
            new TemplateChecks.RoleAssignment(
                "blockIpNetwork",
                "[format('" + NSG + "/{0}', parameters('nsgName'))]",
                "blockNsgRoles"),
            new TemplateChecks.RoleAssignment(
                "networkOperationReader", "resourceGroup", "blockNsgRoles"),
            new TemplateChecks.RoleAssignment(
                "blockIpNetwork",
                "[format('" + IP_GROUP + "/{0}', parameters('ipGroupName'))]",
                "blockIpGroupRoles"),
            new TemplateChecks.RoleAssignment(
                "networkOperationReader", "resourceGroup", "blockIpGroupRoles")),
        TemplateChecks.roleAssignments(template));
    assertEquals(
        List.of(
            "[variables('deploymentContainer')]", "azure-webjobs-hosts", "azure-webjobs-secrets"),
        List.of(JSON.convertValue(template.at("/variables/appContainers"), String[].class)),
        "blob write on the code package and the Functions host's own containers only");
    assertEquals("app-package", template.at("/variables/deploymentContainer").asText());
  }

  @Test
  void theCustomRolesHoldOnlyTheActionsThePlaybooksCall() {
    assertEquals(List.of(), TemplateChecks.customRoleProblems(template, CUSTOM_ROLES));
    Map<String, JsonNode> definitions = TemplateChecks.customRoleDefinitions(template);
    assertEquals(
        "[variables('defenderScopes')]",
        definitions.get("defenderAlerts").at("/properties/assignableScopes").asText());
    assertEquals(
        "[union(createArray(resourceGroup().id), map(parameters('defenderSubscriptionIds'),"
            + " lambda('id', format('/subscriptions/{0}', lambdaVariables('id')))))]",
        template.at("/variables/defenderScopes").asText(),
        "assignable at the Defender subscriptions (and where it is defined)");
    assertEquals(
        "[not(empty(parameters('defenderSubscriptionIds')))]",
        definitions.get("defenderAlerts").path("condition").asText());
    for (String network : List.of("blockIpNetwork", "networkOperationReader")) {
      assertEquals(
          "[variables('blockScopes')]",
          definitions.get(network).at("/properties/assignableScopes").asText());
      assertEquals(
          "[variables('blockRolesWanted')]", definitions.get(network).path("condition").asText());
    }
    String blockScopes = template.at("/variables/blockScopes").asText();
    for (String ids : List.of("blockNsgIds", "blockIpGroupIds")) {
      assertTrue(
          blockScopes.contains(
              "map(parameters('"
                  + ids
                  + "'), lambda('id', format('/subscriptions/{0}/resourceGroups/{1}',"
                  + " split(lambdaVariables('id'), '/')[2], split(lambdaVariables('id'), '/')[4])))"),
          ids + "' resource groups are assignable scopes");
    }
  }

  @Test
  void keyVaultKeepsDeletedSecretsWithPurgeProtection() {
    JsonNode vault = resource(template, "Microsoft.KeyVault/vaults").path("properties");
    assertTrue(vault.path("enableSoftDelete").asBoolean(false));
    assertTrue(vault.path("enablePurgeProtection").asBoolean(false));
    assertEquals(90, vault.path("softDeleteRetentionInDays").asInt());
    assertTrue(vault.path("enableRbacAuthorization").asBoolean(false));
  }

  @Test
  void theAppIsHttpsOnlyWithTls12AndNoFtpOrBasicPublishing() {
    JsonNode app = resource(template, "Microsoft.Web/sites").path("properties");
    assertTrue(app.path("httpsOnly").asBoolean(false));
    assertEquals("1.2", app.at("/siteConfig/minTlsVersion").asText());
    assertEquals("1.2", app.at("/siteConfig/scmMinTlsVersion").asText());
    assertEquals("Disabled", app.at("/siteConfig/ftpsState").asText());
    List<String> policies = new java.util.ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (resource
          .path("type")
          .asText()
          .equals("Microsoft.Web/sites/basicPublishingCredentialsPolicies")) {
        assertFalse(
            resource.at("/properties/allow").asBoolean(true), resource.path("name").asText());
        policies.add(resource.path("name").asText());
      }
    }
    assertEquals(
        List.of(
            "[format('{0}/ftp', parameters('appName'))]",
            "[format('{0}/scm', parameters('appName'))]"),
        policies);
  }

  @Test
  void networksAreOpenUnlessListedAndThenClosedToTheRest() {
    JsonNode parameters = template.path("parameters");
    for (String list :
        List.of(
            "functionAppAllowedIpRanges",
            "keyVaultAllowedIpRanges",
            "storageAllowedIpRanges",
            "allowedSubnetIds")) {
      assertEquals("array", parameters.at("/" + list + "/type").asText(), list);
      assertEquals(0, parameters.at("/" + list + "/defaultValue").size(), list);
    }
    JsonNode site = resource(template, "Microsoft.Web/sites").at("/properties/siteConfig");
    assertEquals(
        "[if(empty(parameters('functionAppAllowedIpRanges')), 'Allow', 'Deny')]",
        site.path("ipSecurityRestrictionsDefaultAction").asText());
    String restrictions = site.path("ipSecurityRestrictions").asText();
    assertTrue(restrictions.contains("map(parameters('functionAppAllowedIpRanges')"), restrictions);
    assertTrue(
        restrictions.contains("'tag', 'ServiceTag', 'ipAddress', 'LogicApps'"),
        "the bridges call from Logic Apps' addresses");
    assertTrue(site.path("scmIpSecurityRestrictionsUseMain").asBoolean(false));
    for (String[] acl :
        List.of(
            new String[] {"Microsoft.KeyVault/vaults", "keyVaultAllowedIpRanges"},
            new String[] {"Microsoft.Storage/storageAccounts", "storageAllowedIpRanges"})) {
      JsonNode rules = resource(template, acl[0]).at("/properties/networkAcls");
      assertEquals(
          "[if(and(empty(parameters('"
              + acl[1]
              + "')), empty(parameters('allowedSubnetIds'))), 'Allow', 'Deny')]",
          rules.path("defaultAction").asText(),
          acl[0]);
      assertEquals("None", rules.path("bypass").asText(), acl[0]);
      assertTrue(rules.path("ipRules").asText().contains("parameters('" + acl[1] + "')"), acl[0]);
      assertTrue(
          rules.path("virtualNetworkRules").asText().contains("parameters('allowedSubnetIds')"),
          acl[0]);
    }
  }

  @Test
  void theGuardrailsAreParametersToReadFirstAndEmptyRolesMeansThePrivilegedOnes() throws Exception {
    JsonNode app = resource(template, "Microsoft.Web/sites");
    JsonNode parameters = template.path("parameters");
    for (String[] guardrail :
        List.of(
            new String[] {"protectedUsers", "PROTECTED_USERS"},
            new String[] {"protectedGroups", "PROTECTED_GROUPS"},
            new String[] {"protectedRoles", "PROTECTED_ROLES"})) {
      assertEquals("[parameters('" + guardrail[0] + "')]", setting(app, guardrail[1]));
      assertEquals("", parameters.at("/" + guardrail[0] + "/defaultValue").asText("x"));
      assertTrue(
          parameters
              .at("/" + guardrail[0] + "/metadata/description")
              .asText()
              .contains("read infra/README.md before deploying"),
          guardrail[0]);
    }
    assertTrue(
        parameters
            .at("/protectedRoles/metadata/description")
            .asText()
            .contains("empty means the roles Microsoft marks privileged"));
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("break-glass"), "the README names break-glass accounts");
    assertTrue(readme.contains("## Before deploying: the accounts the playbooks never touch"));
  }

  @Test
  void blockIpGetsItsNetworkRoleOnEachListedNsgAndIpGroupOnly() {
    for (String loop : List.of("blockNsgRoles", "blockIpGroupRoles")) {
      assertEquals(
          "[parameters('assignBlockNetworkRoles')]",
          blockDeployment(template, loop).path("condition").asText(),
          loop);
    }
    assertTrue(template.at("/parameters/assignBlockNetworkRoles/defaultValue").asBoolean(false));
    assertEquals(List.of(), blockProblems(template, "blockNsgRoles", "blockNsgIds", NSG));
    assertEquals(
        List.of(), blockProblems(template, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP));
  }

  static List<String> blockProblems(JsonNode template, String loop, String ids, String type) {
    return TemplateChecks.resourceScopedRoleProblems(
        template, loop, ids, type, "blockIpNetwork", "networkOperationReader");
  }

  @Test
  void noRoleIsBroaderThanAPlaybookNeeds() {
    assertEquals(List.of(), TemplateChecks.broadRoles(template, BROAD_ROLES));
    assertEquals(List.of(), TemplateChecks.broadRoles(template, BROADER_THAN_NEEDED));
    for (TemplateChecks.RoleAssignment assignment : TemplateChecks.roleAssignments(template)) {
      if (assignment.scope().equals("subscription")) {
        assertEquals(
            "defenderAlerts", assignment.role(), "only the alert role is per subscription");
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
            "Policy.Read.All",
            "Policy.ReadWrite.ConditionalAccess",
            "GroupMember.Read.All",
            "RoleManagement.Read.Directory",
            "Ti.ReadWrite.All")) {
      assertTrue(script.contains("\"" + permission + "\""), permission + " in the script");
      assertTrue(readme.contains("`" + permission + "`"), permission + " in the README");
    }

    String withoutBlockMentions =
        readme.replace("`blockNsgIds`", "blockNsgIds").replace("(`ba92f5b4-", "(ba92f5b4-");
    assertEquals(
        List.of("parameter blockNsgIds", "role storageBlobDataContributor"),
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
        "[and(parameters('createExampleAutomationRule'), parameters('createBridges'))]",
        deployment.path("condition").asText(),
        "the rule runs a bridge, so it needs one");
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
      if (name.equals(PlaybookSettings.SENTINEL_WORKSPACES)
          || name.startsWith("AzureWebJobsStorage")) {
        settings.remove(i);
      }
    }
    assertEquals(
        List.of(
            PlaybookSettings.SENTINEL_WORKSPACES,
            Settings.AZURE_WEBJOBS_STORAGE,
            Settings.AZURE_WEBJOBS_STORAGE_ACCOUNT),
        TemplateChecks.missingSettings(broken, PlaybookSettings.NAMES));
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
    roles.put("sentinelReader", "00000000-0000-0000-0000-000000000000");
    roles.put("owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    ((ObjectNode) broken.at("/parameters/serviceNowPassword")).put("defaultValue", "changeme");
    ((ObjectNode) resource(broken, "Microsoft.KeyVault/vaults")).remove("apiVersion");
    List<String> roleProblems = TemplateChecks.roleProblems(broken, DOCUMENTED_ROLES);
    assertEquals(
        List.of(
            "role 'sentinelReader' is 00000000-0000-0000-0000-000000000000, documented"
                + " 8d289c81-5878-46d4-8554-54e1e3d8b5cb",
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
        List.of("blockNsgRoles: blockIpNetwork is not scoped to one " + NSG + ": "),
        blockProblems(wholeGroup, "blockNsgRoles", "blockNsgIds", NSG));

    ObjectNode otherType = template.deepCopy();
    ((ObjectNode)
            blockDeployment(otherType, "blockIpGroupRoles").at("/properties/template/resources/0"))
        .put("scope", "[format('" + NSG + "/{0}', parameters('ipGroupName'))]");
    assertEquals(
        1, blockProblems(otherType, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP).size());

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
        blockProblems(wrongSegment, "blockNsgRoles", "blockNsgIds", NSG));
    assertEquals(
        1,
        blockProblems(wrongSegment, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP).size(),
        "an IP Group's assignment deployed into an NSG's subscription");

    ObjectNode extraRole = template.deepCopy();
    ((ObjectNode)
            blockDeployment(extraRole, "blockNsgRoles")
                .at("/properties/parameters/operationReaderRoleId"))
        .put("value", "[variables('customRoles').blockIpNetwork]");
    assertEquals(
        List.of(
            "blockNsgRoles: blockIpNetwork is not scoped to one " + NSG + ": ",
            "blockNsgRoles assigns blockIpNetwork 2 and networkOperationReader 0 times, not once"
                + " each"),
        blockProblems(extraRole, "blockNsgRoles", "blockNsgIds", NSG),
        "the write role on the whole resource group");

    ObjectNode gone = template.deepCopy();
    ((ObjectNode) blockDeployment(gone, "blockIpGroupRoles").path("copy")).put("name", "other");
    assertEquals(
        List.of("no nested deployment loop 'blockIpGroupRoles'"),
        blockProblems(gone, "blockIpGroupRoles", "blockIpGroupIds", IP_GROUP));
  }

  @Test
  void aBroadRoleOrARoleFromOutsideTheTableIsReported() {
    ObjectNode owner = template.deepCopy();
    ((ObjectNode) owner.at("/variables/roles")).put("reader", BROAD_ROLES.get("Owner"));
    assertEquals(List.of("role 'reader' is Owner"), TemplateChecks.broadRoles(owner, BROAD_ROLES));

    ObjectNode literal = template.deepCopy();
    ((ObjectNode)
            blockDeployment(literal, "blockNsgRoles")
                .at("/properties/parameters/operationReaderRoleId"))
        .put("value", BROAD_ROLES.get("Contributor"));
    assertEquals(
        List.of(
            "an assignment's role is not from the role table:"
                + " [subscriptionResourceId('Microsoft.Authorization/roleDefinitions',"
                + " parameters('operationReaderRoleId'))]"),
        TemplateChecks.broadRoles(literal, BROAD_ROLES));

    ObjectNode securityAdmin = template.deepCopy();
    ((ObjectNode) securityAdmin.at("/variables/roles"))
        .put("sentinelReader", BROADER_THAN_NEEDED.get("Security Admin"));
    assertEquals(
        List.of("role 'sentinelReader' is Security Admin"),
        TemplateChecks.broadRoles(securityAdmin, BROADER_THAN_NEEDED));
  }

  @Test
  void aHostKeyInABridgeIsReported() {
    ObjectNode broken = template.deepCopy();
    ((ObjectNode)
            resource(broken, "Microsoft.Logic/workflows").at("/properties/parameters/functionKey"))
        .put(
            "value",
            "[listKeys(resourceId('Microsoft.Web/sites/host', parameters('appName'), 'default'),"
                + " '2024-04-01').functionKeys.default]");
    assertEquals(1, TemplateChecks.hostKeyReferences(broken).size());

    ObjectNode master = template.deepCopy();
    ((ObjectNode) master.at("/outputs"))
        .putObject("key")
        .put("type", "string")
        .put(
            "value",
            "[listKeys(resourceId('Microsoft.Web/sites', parameters('appName')), '2024-04-01').masterKey]");
    assertEquals(1, TemplateChecks.hostKeyReferences(master).size());
  }

  @Test
  void aCustomRoleWithAWildcardAnExtraActionOrASharedNameIsReported() {
    ObjectNode broken = template.deepCopy();
    JsonNode definitions = broken.path("resources");
    for (JsonNode resource : definitions) {
      if (resource.path("name").asText().equals("[variables('customRoles').defenderAlerts]")) {
        ((ArrayNode) resource.at("/properties/permissions/0/actions"))
            .add("Microsoft.Security/pricings/write");
        ((ObjectNode) resource.path("properties")).put("roleName", "Sentinel playbooks alerts");
      }
      if (resource
          .path("name")
          .asText()
          .equals("[variables('customRoles').networkOperationReader]")) {
        ((ArrayNode) resource.at("/properties/permissions/0/actions"))
            .set(0, "Microsoft.Network/*");
      }
    }
    assertEquals(
        java.util.Set.of(
            "custom role 'defenderAlerts' has a display name shared between deployments",
            "custom role 'defenderAlerts' has actions "
                + new java.util.ArrayList<>(
                    java.util.stream.Stream.concat(
                            DEFENDER_ALERT_ACTIONS.stream(),
                            java.util.stream.Stream.of("Microsoft.Security/pricings/write"))
                        .toList()),
            "custom role 'networkOperationReader' has actions [Microsoft.Network/*]",
            "custom role 'networkOperationReader' has a wildcard: Microsoft.Network/*"),
        java.util.Set.copyOf(TemplateChecks.customRoleProblems(broken, CUSTOM_ROLES)));

    ObjectNode undefined = template.deepCopy();
    ArrayNode resources = (ArrayNode) undefined.path("resources");
    for (int i = resources.size() - 1; i >= 0; i--) {
      if (resources.get(i).path("type").asText().equals("Microsoft.Authorization/roleDefinitions")
          && resources.get(i).path("name").asText().contains("defenderAlerts")) {
        resources.remove(i);
      }
    }
    assertEquals(
        List.of(
            "custom role 'defenderAlerts' is not defined",
            "custom role 'defenderAlerts' is assigned but not defined"),
        TemplateChecks.customRoleProblems(undefined, CUSTOM_ROLES));
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
