package org.sentinelplaybooks.playbooks.close;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.graph.DefenderXdrClient;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;
import org.sentinelplaybooks.playbooks.EmulatedAzure;

/**
 * The last step of the look-up: among the alerts of the Defender XDR incident the Sentinel incident
 * names, exactly one may carry the Sentinel alert's providerAlertId (over HTTP, against the
 * emulator).
 */
class XdrAlertLookupTest {
  static final String PROVIDER_ID = "7d2c_1";

  Emulator emulator;
  DefenderXdrClient xdr;
  XdrAlertLookup lookup;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.empty());
    xdr =
        DefenderXdrClient.builder()
            .endpoint(emulator.baseUrl())
            .options(EmulatedAzure.FAST_RETRIES)
            .buildClient();
    lookup = new XdrAlertLookup(xdr);
    emulator.state().putXdrIncident(Json.object().put("id", "500"));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  static SecurityAlert sentinelAlert(String providerAlertId) {
    return new SecurityAlert(
        "a1",
        "a1",
        "Hidden file",
        "Microsoft 365 Defender",
        providerAlertId,
        null,
        "New",
        List.of());
  }

  void xdrAlert(String id, String providerAlertId) {
    emulator
        .state()
        .putXdrAlert(
            Json.object()
                .put("id", id)
                .put("providerAlertId", providerAlertId)
                .put("incidentId", "500"));
  }

  @Test
  void anAlertKnownOnlyByItsProvidersIdIsFoundAmongTheIncidentsAlerts() {
    xdrAlert("fa9911", PROVIDER_ID);
    xdrAlert("fa9912", "another_1");
    XdrAlertLookup.Found found =
        lookup.find(sentinelAlert(PROVIDER_ID), () -> xdr.getIncident("500"));
    XdrAlertLookup.Found.Alert alert = assertInstanceOf(XdrAlertLookup.Found.Alert.class, found);
    assertEquals("fa9911", alert.alert().id());
    assertEquals(
        List.of(
            "/v1.0/security/alerts_v2/" + PROVIDER_ID,
            "/v1.0/security/alerts_v2/da" + PROVIDER_ID,
            "/v1.0/security/incidents/500"),
        emulator.requests().stream().map(r -> r.path()).toList());
  }

  @Test
  void twoAlertsThatBothMatchAreNeitherTaken() {
    xdrAlert("fa9911", PROVIDER_ID);
    xdrAlert("fa9912", PROVIDER_ID);
    XdrAlertLookup.Found found =
        lookup.find(sentinelAlert(PROVIDER_ID), () -> xdr.getIncident("500"));
    XdrAlertLookup.Found.Missing missing =
        assertInstanceOf(XdrAlertLookup.Found.Missing.class, found);
    assertTrue(
        missing.reason().contains("2 alerts of Defender XDR incident 500"), missing.reason());
  }

  @Test
  void withoutAnIncidentOrAnIdNothingIsGuessed() {
    XdrAlertLookup.Found none = lookup.find(sentinelAlert(PROVIDER_ID), Optional::empty);
    assertTrue(
        assertInstanceOf(XdrAlertLookup.Found.Missing.class, none)
            .reason()
            .contains("not found in Defender XDR as " + PROVIDER_ID + " or da" + PROVIDER_ID));
    XdrAlertLookup.Found noId = lookup.find(sentinelAlert(" "), Optional::empty);
    assertTrue(
        assertInstanceOf(XdrAlertLookup.Found.Missing.class, noId)
            .reason()
            .contains("names no providerAlertId"));
    assertEquals(2, emulator.requests().size(), "no call for the alert without an id");
  }
}
