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
