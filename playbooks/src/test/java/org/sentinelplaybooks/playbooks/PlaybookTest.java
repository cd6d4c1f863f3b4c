package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.sentinelplaybooks.clients.Json;

/** A test of a playbook against a fresh emulator (and Azurite) for each test. */
abstract class PlaybookTest {
  EmulatedAzure azure;

  @BeforeEach
  void startEmulatedAzure() {
    azure = EmulatedAzure.start();
  }

  @AfterEach
  void stopEmulatedAzure() {
    azure.close();
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }
}
