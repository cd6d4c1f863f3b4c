package org.sentinelplaybooks.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.playbooks.close.SuppressionSettings;

/** The template sets the suppression settings and lets the close-incident bridge ask for rules. */
class SuppressionTemplateTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode template() throws Exception {
    return JSON.readTree(Files.readString(Path.of("azuredeploy.json")));
  }

  static String appSetting(JsonNode template, String name) {
    for (JsonNode resource : template.path("resources")) {
      for (JsonNode setting : resource.at("/properties/siteConfig/appSettings")) {
        if (name.equals(setting.path("name").asText())) {
          return setting.path("value").asText();
        }
      }
    }
    throw new AssertionError(name + " is not an app setting of the template");
  }

  @Test
  void theSuppressionSettingsComeFromParametersWithTheAppsDefaults() throws Exception {
    JsonNode template = template();
    assertEquals(
        "[parameters('suppressionTtl')]",
        appSetting(template, SuppressionSettings.SUPPRESSION_TTL));
    assertEquals(
        "[parameters('suppressionMaxTtl')]",
        appSetting(template, SuppressionSettings.SUPPRESSION_MAX_TTL));
    JsonNode parameters = template.path("parameters");
    assertEquals(
        SuppressionSettings.DEFAULT_TTL,
        Duration.parse(parameters.at("/suppressionTtl/defaultValue").asText()));
    assertEquals(
        SuppressionSettings.DEFAULT_MAX_TTL,
        Duration.parse(parameters.at("/suppressionMaxTtl/defaultValue").asText()));
  }

  @Test
  void theCloseIncidentBridgeSendsSuppressOnlyWhenTheParameterSaysSo() throws Exception {
    JsonNode template = template();
    assertEquals(
        "[parameters('closeIncidentSuppress')]",
        template.at("/variables/bridgeOptions/close-incident/suppress").asText());
    assertEquals("bool", template.at("/parameters/closeIncidentSuppress/type").asText());
    assertFalse(template.at("/parameters/closeIncidentSuppress/defaultValue").asBoolean(true));
  }
}
