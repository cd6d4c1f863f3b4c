package org.sentinelplaybooks.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of an ARM template that need no Azure: references resolve, dependencies point at declared
 * resources, settings and roles are as the code and the documentation say. Each check returns the
 * problems it found, empty when there are none.
 */
final class TemplateChecks {
  private static final Pattern PARAMETER = Pattern.compile("parameters\\('([^']+)'\\)");
  private static final Pattern VARIABLE = Pattern.compile("variables\\('([^']+)'\\)");
  private static final Pattern RESOURCE_ID =
      Pattern.compile("(?<![A-Za-z])resourceId\\('([^']+)'((?:,[^,()]*(?:\\([^()]*\\))?)*)\\)");
  private static final Pattern QUOTED_TYPE =
      Pattern.compile("'([A-Za-z]+\\.[A-Za-z]+(?:/[A-Za-z]+)+)'");

  private TemplateChecks() {}

  /**
   * Every {@code parameters('x')} and {@code variables('x')} names one the template declares; a
   * nested deployment evaluated in the inner scope is checked against its own declarations.
   */
  static List<String> unresolvedReferences(JsonNode template) {
    List<String> problems = new ArrayList<>();
    Set<String> parameters = names(template.path("parameters"));
    Set<String> variables = names(template.path("variables"));
    variables.remove("copy");
    for (JsonNode loop : template.path("variables").path("copy")) {
      variables.add(loop.path("name").asText());
    }
    for (String expression : expressions(template)) {
      check(PARAMETER, expression, parameters, "parameter", problems);
      check(VARIABLE, expression, variables, "variable", problems);
    }
    for (JsonNode nested : innerTemplates(template)) {
      problems.addAll(unresolvedReferences(nested));
    }
    return problems;
  }

  private static void check(
      Pattern pattern,
      String expression,
      Set<String> declared,
      String kind,
      List<String> problems) {
    Matcher m = pattern.matcher(expression);
    while (m.find()) {
      if (!declared.contains(m.group(1))) {
        problems.add("undeclared " + kind + " '" + m.group(1) + "' in " + expression);
      }
    }
  }

  /**
   * Every {@code dependsOn} entry names a copy loop or resource types the template declares, and
   * every {@code resourceId('Type', ...)} is of a declared type, a child of one, or names its
   * resource with a parameter (an existing resource outside the template).
   */
  static List<String> danglingResources(JsonNode template) {
    List<String> problems = new ArrayList<>();
    Set<String> types = new HashSet<>();
    Set<String> loops = new HashSet<>();
    for (JsonNode resource : template.path("resources")) {
      types.add(resource.path("type").asText().toLowerCase());
      if (resource.has("copy")) {
        loops.add(resource.path("copy").path("name").asText());
      }
    }
    for (JsonNode resource : template.path("resources")) {
      for (JsonNode dependency : resource.path("dependsOn")) {
        String text = dependency.asText();
        if (loops.contains(text)) {
          continue;
        }
        Matcher m = QUOTED_TYPE.matcher(text);
        boolean named = false;
        boolean declared = true;
        while (m.find()) {
          named = true;
          declared &= types.contains(m.group(1).toLowerCase());
        }
        if (!named || !declared) {
          problems.add(
              resource.path("type").asText()
                  + " depends on something the template does not declare: "
                  + text);
        }
      }
    }
    for (String expression : expressions(template)) {
      Matcher m = RESOURCE_ID.matcher(expression);
      while (m.find()) {
        String type = m.group(1).toLowerCase();
        boolean declared =
            types.contains(type) || types.stream().anyMatch(t -> type.startsWith(t + "/"));
        boolean external = m.group(2).contains("parameters(");
        if (!declared && !external) {
          problems.add("resourceId of a type the template does not declare: " + m.group(0));
        }
      }
    }
    for (JsonNode nested : innerTemplates(template)) {
      problems.addAll(danglingResources(nested));
    }
    return problems;
  }

  /**
   * The settings the code reads that the Function App does not set. A connection setting {@code X}
   * is also satisfied by its identity form {@code X__accountName}.
   */
  static List<String> missingSettings(JsonNode template, List<String> settingNames) {
    Set<String> set = new HashSet<>();
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("type").asText().equalsIgnoreCase("Microsoft.Web/sites")) {
        for (JsonNode setting :
            resource.path("properties").path("siteConfig").path("appSettings")) {
          set.add(setting.path("name").asText());
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : settingNames) {
      if (!set.contains(name) && !set.contains(name + "__accountName")) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** Role variables that differ from the documented built-in ids, or that nothing uses. */
  static List<String> roleProblems(JsonNode template, Map<String, String> documented) {
    List<String> problems = new ArrayList<>();
    JsonNode roles = template.path("variables").path("roles");
    String text = template.toString();
    for (Iterator<Map.Entry<String, JsonNode>> it = roles.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> role = it.next();
      String expected = documented.get(role.getKey());
      if (expected == null) {
        problems.add("role '" + role.getKey() + "' is not in the documented table");
      } else if (!expected.equals(role.getValue().asText())) {
        problems.add(
            "role '"
                + role.getKey()
                + "' is "
                + role.getValue().asText()
                + ", documented "
                + expected);
      }
      if (!text.contains("variables('roles')." + role.getKey())) {
        problems.add("role '" + role.getKey() + "' is never assigned");
      }
    }
    return problems;
  }

  /**
   * A role assignment of the template or of one of its nested deployments: the role (its key in
   * {@code variables('roles')}, or the expression itself when it does not come from that table),
   * its scope (the {@code scope} expression, else {@code resourceGroup} or {@code subscription},
   * the scope the assignment is deployed to), and the copy loop of the nested deployment it is in
   * (empty at the top level).
   */
  record RoleAssignment(String role, String scope, String loop) {}

  /**
   * A role's key in the built-in table ({@code roles}) or in the custom one ({@code customRoles}).
   */
  private static final Pattern ROLE_KEY =
      Pattern.compile("variables\\('(?:roles|customRoles)'\\)\\.(\\w+)");

  /** Every role assignment, with the role resolved through nested deployments' parameters. */
  static List<RoleAssignment> roleAssignments(JsonNode template) {
    List<RoleAssignment> found = new ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (isRoleAssignment(resource)) {
        found.add(
            new RoleAssignment(
                roleKey(resource.at("/properties/roleDefinitionId").asText(), Map.of()),
                resource.path("scope").asText("resourceGroup"),
                ""));
      } else if (isInner(resource)) {
        JsonNode nested = resource.at("/properties/template");
        Map<String, String> values = new java.util.HashMap<>();
        resource
            .at("/properties/parameters")
            .fields()
            .forEachRemaining(p -> values.put(p.getKey(), p.getValue().path("value").asText()));
        String target =
            nested.path("$schema").asText().contains("subscriptionDeploymentTemplate")
                ? "subscription"
                : "resourceGroup";
        for (JsonNode inner : nested.path("resources")) {
          if (isRoleAssignment(inner)) {
            found.add(
                new RoleAssignment(
                    roleKey(inner.at("/properties/roleDefinitionId").asText(), values),
                    inner.path("scope").asText(target),
                    resource.at("/copy/name").asText()));
          }
        }
      }
    }
    return found;
  }

  private static boolean isRoleAssignment(JsonNode resource) {
    return resource
        .path("type")
        .asText()
        .equalsIgnoreCase("Microsoft.Authorization/roleAssignments");
  }

  private static String roleKey(String roleDefinitionId, Map<String, String> parameterValues) {
    Matcher direct = ROLE_KEY.matcher(roleDefinitionId);
    if (direct.find()) {
      return direct.group(1);
    }
    Matcher parameter = PARAMETER.matcher(roleDefinitionId);
    if (parameter.find() && parameterValues.containsKey(parameter.group(1))) {
      Matcher passed = ROLE_KEY.matcher(parameterValues.get(parameter.group(1)));
      if (passed.find()) {
        return passed.group(1);
      }
    }
    return roleDefinitionId;
  }

  /**
   * Roles broader than any playbook needs: a role table entry whose id is one of {@code forbidden}
   * (name to id), and any assignment whose role comes neither from the role table nor from the
   * custom roles the template defines (a literal id would escape the checks of both).
   */
  static List<String> broadRoles(JsonNode template, Map<String, String> forbidden) {
    List<String> problems = new ArrayList<>();
    JsonNode roles = template.path("variables").path("roles");
    for (Iterator<Map.Entry<String, JsonNode>> it = roles.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> role = it.next();
      forbidden.forEach(
          (name, id) -> {
            if (id.equalsIgnoreCase(role.getValue().asText())) {
              problems.add("role '" + role.getKey() + "' is " + name);
            }
          });
    }
    JsonNode custom = template.path("variables").path("customRoles");
    for (RoleAssignment assignment : roleAssignments(template)) {
      if (!roles.has(assignment.role()) && !custom.has(assignment.role())) {
        problems.add("an assignment's role is not from the role table: " + assignment.role());
      }
    }
    return problems;
  }

  /**
   * The nested deployment that gives the identity {@code resourceRole} on each resource listed in
   * the array parameter {@code idsParameter}, and {@code groupRole} on its resource group, checked
   * against the ids: one deployment per id, into the id's own subscription and resource group, the
   * {@code resourceRole} assignment scoped to the resource of {@code resourceType} the id names.
   * Roles are keys of {@code variables('roles')} or {@code variables('customRoles')}.
   */
  static List<String> resourceScopedRoleProblems(
      JsonNode template,
      String loop,
      String idsParameter,
      String resourceType,
      String resourceRole,
      String groupRole) {
    List<String> problems = new ArrayList<>();
    JsonNode deployment = null;
    for (JsonNode resource : template.path("resources")) {
      if (isDeployment(resource) && loop.equals(resource.at("/copy/name").asText())) {
        deployment = resource;
      }
    }
    if (deployment == null) {
      return List.of("no nested deployment loop '" + loop + "'");
    }
    String item = "parameters('" + idsParameter + "')[copyIndex()]";
    expect(
        deployment.at("/copy/count").asText(),
        "[length(parameters('" + idsParameter + "'))]",
        loop + " count",
        problems);
    expect(
        deployment.path("subscriptionId").asText(),
        "[split(" + item + ", '/')[2]]",
        loop + " subscriptionId",
        problems);
    expect(
        deployment.path("resourceGroup").asText(),
        "[split(" + item + ", '/')[4]]",
        loop + " resourceGroup",
        problems);
    if (!isInner(deployment)) {
      problems.add(loop + " is not evaluated in the inner scope");
    }
    JsonNode nested = deployment.at("/properties/template");
    if (nested.path("$schema").asText().contains("subscriptionDeploymentTemplate")) {
      problems.add(loop + " deploys to a subscription, not to the resource's resource group");
    }
    Map<String, String> values = new java.util.HashMap<>();
    deployment
        .at("/properties/parameters")
        .fields()
        .forEachRemaining(p -> values.put(p.getKey(), p.getValue().path("value").asText()));
    int onResource = 0;
    int onGroup = 0;
    for (JsonNode inner : nested.path("resources")) {
      if (!isRoleAssignment(inner)) {
        continue;
      }
      String role = roleKey(inner.at("/properties/roleDefinitionId").asText(), values);
      String scope = inner.path("scope").asText();
      if (role.equals(resourceRole)) {
        onResource++;
        Matcher name =
            Pattern.compile(
                    "\\[format\\('"
                        + Pattern.quote(resourceType)
                        + "/\\{0\\}', parameters\\('(\\w+)'\\)\\)\\]")
                .matcher(scope);
        if (!name.matches()) {
          problems.add(
              loop + ": " + resourceRole + " is not scoped to one " + resourceType + ": " + scope);
          continue;
        }
        expect(
            values.get(name.group(1)),
            "[split(" + item + ", '/')[8]]",
            loop + " resource name",
            problems);
        if (!inner
            .path("name")
            .asText()
            .contains("resourceId('" + resourceType + "', parameters('" + name.group(1) + "'))")) {
          problems.add(loop + ": the assignment's name is not made from the resource's id");
        }
      } else if (role.equals(groupRole)) {
        onGroup++;
        if (!scope.isEmpty()) {
          problems.add(loop + ": " + groupRole + " is not on the resource group but on " + scope);
        }
      } else {
        problems.add(loop + " assigns " + role);
      }
    }
    if (onResource != 1 || onGroup != 1) {
      problems.add(
          loop
              + " assigns "
              + resourceRole
              + " "
              + onResource
              + " and "
              + groupRole
              + " "
              + onGroup
              + " times, not once each");
    }
    return problems;
  }

  /**
   * The custom roles the template defines ({@code Microsoft.Authorization/roleDefinitions} named
   * {@code [variables('customRoles').key]}), by key.
   */
  static Map<String, JsonNode> customRoleDefinitions(JsonNode template) {
    Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
    for (JsonNode resource : allResources(template)) {
      if (resource
          .path("type")
          .asText()
          .equalsIgnoreCase("Microsoft.Authorization/roleDefinitions")) {
        Matcher key = ROLE_KEY.matcher(resource.path("name").asText());
        found.put(key.find() ? key.group(1) : resource.path("name").asText(), resource);
      }
    }
    return found;
  }

  /**
   * What is wrong with the custom roles, checked against the expected action lists (key to
   * actions): a role missing or not expected, actions other than those listed (in any order), any
   * wildcard, any not-action or data action, a name that is not a {@code guid()} of this
   * deployment, a display name that could collide with another deployment's in the tenant, an
   * assignment of a custom role the template does not define.
   */
  static List<String> customRoleProblems(JsonNode template, Map<String, List<String>> expected) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> definitions = customRoleDefinitions(template);
    JsonNode keys = template.path("variables").path("customRoles");
    for (String key : definitions.keySet()) {
      if (!expected.containsKey(key)) {
        problems.add("custom role '" + key + "' is not expected");
      }
    }
    for (Map.Entry<String, List<String>> role : expected.entrySet()) {
      String key = role.getKey();
      JsonNode definition = definitions.get(key);
      if (definition == null) {
        problems.add("custom role '" + key + "' is not defined");
        continue;
      }
      if (!keys.path(key).asText().startsWith("[guid(resourceGroup().id, parameters('appName')")) {
        problems.add("custom role '" + key + "' is not named by a guid of this deployment");
      }
      JsonNode properties = definition.path("properties");
      if (!"CustomRole".equals(properties.path("type").asText())) {
        problems.add("custom role '" + key + "' is not of type CustomRole");
      }
      if (!properties.path("roleName").asText().contains("variables('deploymentSuffix')")) {
        problems.add("custom role '" + key + "' has a display name shared between deployments");
      }
      if (properties.path("permissions").size() != 1) {
        problems.add(
            "custom role '"
                + key
                + "' has "
                + properties.path("permissions").size()
                + " permission blocks");
      }
      JsonNode permission = properties.path("permissions").path(0);
      List<String> actions = new ArrayList<>();
      permission.path("actions").forEach(a -> actions.add(a.asText()));
      if (!new HashSet<>(actions).equals(new HashSet<>(role.getValue()))
          || actions.size() != role.getValue().size()) {
        problems.add("custom role '" + key + "' has actions " + actions);
      }
      for (String action : actions) {
        if (action.contains("*")) {
          problems.add("custom role '" + key + "' has a wildcard: " + action);
        }
      }
      for (String other : List.of("notActions", "dataActions", "notDataActions")) {
        if (permission.path(other).size() != 0) {
          problems.add("custom role '" + key + "' has " + other);
        }
      }
    }
    for (RoleAssignment assignment : roleAssignments(template)) {
      if (keys.has(assignment.role()) && !definitions.containsKey(assignment.role())) {
        problems.add("custom role '" + assignment.role() + "' is assigned but not defined");
      }
    }
    return problems;
  }

  /**
   * Where the template reads a key that opens more than one function: the host's keys ({@code
   * Microsoft.Web/sites/host}), the master key, or any {@code listKeys} of something other than one
   * function.
   */
  static List<String> hostKeyReferences(JsonNode template) {
    List<String> found = new ArrayList<>();
    collectStrings(template, found);
    List<String> problems = new ArrayList<>();
    for (String text : found) {
      String lower = text.toLowerCase();
      boolean host = lower.contains("microsoft.web/sites/host") || lower.contains("masterkey");
      boolean otherKeys =
          lower.contains("listkeys(")
              && !lower.contains("listkeys(resourceid('microsoft.web/sites/functions'");
      if (host || otherKeys) {
        problems.add(text);
      }
    }
    return problems;
  }

  private static void collectStrings(JsonNode node, List<String> found) {
    if (node.isTextual()) {
      found.add(node.asText());
    } else {
      node.fields()
          .forEachRemaining(
              field -> {
                found.add(field.getKey());
                collectStrings(field.getValue(), found);
              });
      if (node.isArray()) {
        node.forEach(item -> collectStrings(item, found));
      }
    }
  }

  /**
   * The principal of every role assignment, resolved through nested deployments' parameters: the
   * expressions that name who gets the roles.
   */
  static Set<String> assignedPrincipals(JsonNode template) {
    Set<String> found = new java.util.TreeSet<>();
    for (JsonNode resource : template.path("resources")) {
      if (isRoleAssignment(resource)) {
        found.add(resource.at("/properties/principalId").asText());
      } else if (isInner(resource)) {
        JsonNode values = resource.at("/properties/parameters");
        for (JsonNode inner : resource.at("/properties/template/resources")) {
          if (isRoleAssignment(inner)) {
            String principal = inner.at("/properties/principalId").asText();
            Matcher parameter = PARAMETER.matcher(principal);
            boolean passed =
                principal.equals("[parameters('principalId')]")
                    && parameter.find()
                    && values.has(parameter.group(1));
            found.add(passed ? values.path(parameter.group(1)).path("value").asText() : principal);
          }
        }
      }
    }
    return found;
  }

  private static void expect(String actual, String expected, String what, List<String> problems) {
    if (!expected.equals(actual)) {
      problems.add(what + " is " + actual + ", expected " + expected);
    }
  }

  private static final Pattern DEPLOYMENT_NAME =
      Pattern.compile("\\[format\\('([^']*)'((?:, [^,]+)*)\\)\\]");

  /**
   * Nested deployments whose name may be longer than the 64 characters Resource Manager allows. A
   * name is {@code format('literal', ...)} of {@code variables('deploymentSuffix')} (a {@code
   * uniqueString}, 13 characters) and {@code copyIndex()} (at most 3 digits: a loop has at most 800
   * copies); any other part cannot be bounded and is reported.
   */
  static List<String> longDeploymentNames(JsonNode template) {
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (!isDeployment(resource)) {
        continue;
      }
      String name = resource.path("name").asText();
      Matcher m = DEPLOYMENT_NAME.matcher(name);
      if (!m.matches()) {
        problems.add("cannot bound the length of " + name);
        continue;
      }
      int length = m.group(1).replaceAll("\\{\\d+\\}", "").length();
      for (String argument : m.group(2).split(", ")) {
        switch (argument.trim()) {
          case "" -> {}
          case "variables('deploymentSuffix')" -> length += 13;
          case "copyIndex()" -> length += 3;
          default -> problems.add("cannot bound the length of " + argument + " in " + name);
        }
      }
      if (length > 64) {
        problems.add(name + " may be " + length + " characters long");
      }
    }
    return problems;
  }

  /**
   * Parameters and role ids of the template that {@code readme} does not mention: a parameter as
   * {@code `name`}, a role as its id in the roles table, {@code (`id`)}.
   */
  static List<String> undocumented(JsonNode template, String readme) {
    List<String> missing = new ArrayList<>();
    template
        .path("parameters")
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!readme.contains("`" + name + "`")) {
                missing.add("parameter " + name);
              }
            });
    template
        .path("variables")
        .path("roles")
        .fields()
        .forEachRemaining(
            role -> {
              if (!readme.contains("(`" + role.getValue().asText() + "`)")) {
                missing.add("role " + role.getKey());
              }
            });
    return missing;
  }

  /** Resources without an explicit apiVersion: nested templates' and child resources too. */
  static List<String> missingApiVersions(JsonNode template) {
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : allResources(template)) {
      if (resource.path("apiVersion").asText().isBlank()) {
        problems.add(resource.path("type").asText() + " " + resource.path("name").asText());
      }
    }
    return problems;
  }

  /** Secure parameters, nested templates' too, whose default is anything but empty. */
  static List<String> secretsWithDefaults(JsonNode template) {
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.path("parameters").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> parameter = it.next();
      String type = parameter.getValue().path("type").asText().toLowerCase();
      JsonNode value = parameter.getValue().path("defaultValue");
      boolean empty =
          value.isMissingNode()
              || value.isContainerNode() && value.size() == 0
              || value.isTextual() && value.asText().isEmpty();
      if (type.startsWith("secure") && !empty) {
        problems.add(parameter.getKey());
      }
    }
    for (JsonNode nested : nestedTemplates(template)) {
      problems.addAll(secretsWithDefaults(nested));
    }
    return problems;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Every resource of the template: children declared inside others, nested templates' too. */
  static List<JsonNode> allResources(JsonNode template) {
    List<JsonNode> all = new ArrayList<>();
    addResources(template.path("resources"), all);
    for (JsonNode nested : nestedTemplates(template)) {
      all.addAll(allResources(nested));
    }
    return all;
  }

  private static void addResources(JsonNode resources, List<JsonNode> all) {
    for (JsonNode resource : resources) {
      all.add(resource);
      addResources(resource.path("resources"), all);
    }
  }

  private static List<JsonNode> nestedTemplates(JsonNode template) {
    List<JsonNode> nested = new ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (isDeployment(resource) && resource.path("properties").has("template")) {
        nested.add(resource.path("properties").path("template"));
      }
    }
    return nested;
  }

  /** The nested templates evaluated in their own scope; checked as templates of their own. */
  private static List<JsonNode> innerTemplates(JsonNode template) {
    List<JsonNode> nested = new ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (isInner(resource)) {
        nested.add(resource.path("properties").path("template"));
      }
    }
    return nested;
  }

  private static boolean isDeployment(JsonNode resource) {
    return resource.path("type").asText().equalsIgnoreCase("Microsoft.Resources/deployments");
  }

  private static boolean isInner(JsonNode resource) {
    return isDeployment(resource)
        && "inner"
            .equalsIgnoreCase(
                resource
                    .path("properties")
                    .path("expressionEvaluationOptions")
                    .path("scope")
                    .asText());
  }

  /**
   * The ARM expressions ({@code [...]}, in values and in keys) of this template's own scope: an
   * inner-scoped nested deployment contributes only what the outer scope evaluates (its name,
   * placement, condition, loop and parameter values), not its template.
   */
  static List<String> expressions(JsonNode template) {
    List<String> found = new ArrayList<>();
    collect(template, found, true);
    return found;
  }

  private static void collect(JsonNode node, List<String> found, boolean top) {
    if (node.isTextual() && node.asText().startsWith("[") && !node.asText().startsWith("[[")) {
      found.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, found, false));
    } else if (node.isObject()) {
      if (!top && isInner(node)) {
        collect(node.path("properties").path("parameters"), found, false);
        for (String field :
            List.of(
                "name",
                "subscriptionId",
                "resourceGroup",
                "location",
                "condition",
                "dependsOn",
                "copy")) {
          collect(node.path(field), found, false);
        }
        return;
      }
      node.fields()
          .forEachRemaining(
              field -> {
                if (field.getKey().startsWith("[")) {
                  found.add(field.getKey());
                }
                collect(field.getValue(), found, false);
              });
    }
  }
}
