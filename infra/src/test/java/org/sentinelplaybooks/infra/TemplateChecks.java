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
 * resources, settings and roles are as the code and the documentation say.
 */
final class TemplateChecks {
  private static final Pattern PARAMETER = Pattern.compile("parameters\\('([^']+)'\\)");
  private static final Pattern VARIABLE = Pattern.compile("variables\\('([^']+)'\\)");
  private static final Pattern RESOURCE_ID =
      Pattern.compile("(?<![A-Za-z])resourceId\\('([^']+)'((?:,[^,()]*(?:\\([^()]*\\))?)*)\\)");

  private TemplateChecks() {}

  /** Every {@code parameters('x')} and {@code variables('x')} names one the template declares. */
  static List<String> unresolvedReferences(JsonNode template) {
    List<String> problems = new ArrayList<>();
    Set<String> parameters = names(template.path("parameters"));
    Set<String> variables = names(template.path("variables"));
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
   * Every {@code dependsOn} entry names a declared resource type (through {@code resourceId}) or a
   * copy loop, and every {@code resourceId('Type', ...)} is of a declared type, a child of one, or
   * names its resource with a parameter (an existing resource outside the template).
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
        Matcher m = RESOURCE_ID.matcher(text);
        if (!m.find() || !types.contains(m.group(1).toLowerCase())) {
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

  /** The settings the code reads that the Function App does not set. */
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
      boolean byIdentity = set.contains(name + "__accountName");
      if (!set.contains(name) && !byIdentity) {
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

  /** Resources (nested templates' too) without an explicit apiVersion. */
  static List<String> missingApiVersions(JsonNode template) {
    List<String> problems = new ArrayList<>();
    for (JsonNode resource : template.path("resources")) {
      if (resource.path("apiVersion").asText().isBlank()) {
        problems.add(resource.path("type").asText() + " " + resource.path("name").asText());
      }
    }
    for (JsonNode nested : innerTemplates(template)) {
      problems.addAll(missingApiVersions(nested));
    }
    return problems;
  }

  /** Secure parameters with a default value. */
  static List<String> secretsWithDefaults(JsonNode template) {
    List<String> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.path("parameters").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> parameter = it.next();
      String type = parameter.getValue().path("type").asText().toLowerCase();
      if (type.startsWith("secure") && parameter.getValue().has("defaultValue")) {
        problems.add(parameter.getKey());
      }
    }
    return problems;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
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

  private static boolean isInner(JsonNode resource) {
    return resource.path("type").asText().equalsIgnoreCase("Microsoft.Resources/deployments")
        && "inner"
            .equalsIgnoreCase(
                resource
                    .path("properties")
                    .path("expressionEvaluationOptions")
                    .path("scope")
                    .asText());
  }

  /** The ARM expressions ({@code [...]}, in values and in keys) of this template's own scope. */
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
