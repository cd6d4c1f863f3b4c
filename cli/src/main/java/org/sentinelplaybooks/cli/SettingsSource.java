package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * Settings as the app has them in Azure: the environment, or the {@code Values} of a {@code
 * local.settings.json} given with {@code --settings} (its values win).
 */
final class SettingsSource {
  private SettingsSource() {}

  static PlaybookSettings load(Path localSettings) {
    Map<String, String> values = new HashMap<>(System.getenv());
    if (localSettings != null) {
      values.putAll(read(localSettings));
    }
    return PlaybookSettings.from(values);
  }

  private static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new BadInputException("--settings", "cannot read " + file + ": " + e.getMessage());
    }
    JsonNode values = root == null ? null : root.get("Values");
    if (values == null || !values.isObject()) {
      throw new BadInputException(
          "--settings",
          file + " has no \"Values\" object (expected the local.settings.json format)");
    }
    Map<String, String> settings = new HashMap<>();
    values
        .fields()
        .forEachRemaining(field -> settings.put(field.getKey(), field.getValue().asText()));
    return settings;
  }
}
