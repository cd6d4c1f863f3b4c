package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.sentinelplaybooks.emulator.ManualClock;

/** A test of a playbook against a fresh emulator (and Azurite) for each test. */
public abstract class PlaybookTest {
  public EmulatedAzure azure;

  @BeforeEach
  public void startEmulatedAzure() {
    azure = EmulatedAzure.start();
  }

  @AfterEach
  public void stopEmulatedAzure() {
    azure.close();
  }

  /**
   * The test bed again, on a clock the test holds ({@link EmulatedAzure#startAt}), for a test that
   * compares times.
   */
  public ManualClock onAClock() {
    azure.close();
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    azure = EmulatedAzure.startAt(clock);
    return clock;
  }

  /** The attack incident's properties as the emulator holds them now. */
  public JsonNode incidentProperties() {
    return azure.emulator.state().incident(EmulatedAzure.INCIDENT).orElseThrow().path("properties");
  }

  /**
   * Makes the attack incident open again while it still carries an earlier verdict, as one reopened
   * after a close can.
   */
  public void reopenWithAnEarlierVerdict() {
    azure
        .emulator
        .state()
        .editIncident(
            EmulatedAzure.INCIDENT,
            incident ->
                ((ObjectNode) incident.path("properties"))
                    .put("status", "Active")
                    .put("classification", "TruePositive")
                    .put("classificationReason", "SuspiciousActivity")
                    .put("classificationComment", "Brute force confirmed"));
  }

  public static JsonNode json(String text) {
    try {
      return TestJson.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }
}
