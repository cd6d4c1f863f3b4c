package org.sentinelplaybooks.clients.defender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.sentinelplaybooks.clients.Json;

/**
 * One condition of a suppression rule's {@code suppressionAlertsScope.allOf}: an alert entity field
 * and the values it must be one of ({@code in}) or a text it must contain ({@code contains}). Field
 * names as the Azure Policy built-in 80e94a21-c6cd-4c95-a2c7-beb5704e61c0 spells them
 * (Azure/azure-policy built-in-policies/policyDefinitions/Security Center/
 * ASC_SuppressionRulesForAlerts_DINE.json, variables.entityNameToType).
 */
public record ScopeCondition(String field, List<String> in, String contains) {
  public static final String IP_ADDRESS = "entities.ip.address";
  public static final String HOST_NAME = "entities.host.hostname";
  public static final String AZURE_RESOURCE_ID = "entities.azureresource.resourceid";

  public ScopeCondition {
    in = in == null ? null : List.copyOf(in);
  }

  public static ScopeCondition in(String field, List<String> values) {
    return new ScopeCondition(field, values, null);
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object().put("field", field);
    if (in != null) {
      in.forEach(node.putArray("in")::add);
    }
    if (contains != null) {
      node.put("contains", contains);
    }
    return node;
  }

  static ScopeCondition fromJson(JsonNode node) {
    List<String> values = null;
    if (node.path("in").isArray()) {
      values = new ArrayList<>();
      for (JsonNode value : node.path("in")) {
        values.add(value.asText());
      }
    }
    return new ScopeCondition(Json.text(node, "field"), values, Json.text(node, "contains"));
  }

  /** For people: {@code entities.ip.address in [203.0.113.45]}. */
  @Override
  public String toString() {
    return field
        + (in != null ? " in " + in : "")
        + (contains != null ? " contains '" + contains + "'" : "");
  }
}
