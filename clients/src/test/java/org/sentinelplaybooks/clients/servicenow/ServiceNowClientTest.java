package org.sentinelplaybooks.clients.servicenow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * The typed ServiceNow calls against the emulator, over HTTP: each sends the Table API's own field
 * names (/work/shared/contracts/servicenow/table_incident_create.json, table_incident_patch.json,
 * table_incident_query.json), and nothing the caller did not give.
 */
class ServiceNowClientTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final ClientOptions FAST =
      new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5));
  static final String CORRELATION = "63883bf7-5be1-42f4-809a-0417943b837b";

  Emulator emulator;
  ServiceNowClient serviceNow;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    emulator.state().setServiceNowAccount("svc-sentinel", "servicenow-secret", null, null);
    Settings settings =
        Settings.from(
            Map.of(
                Settings.AZURE_CLOUD,
                "Local",
                Settings.AZURE_ARM_ENDPOINT,
                emulator.baseUrl(),
                Settings.SERVICENOW_INSTANCE_URL,
                emulator.baseUrl(),
                Settings.SERVICENOW_USERNAME,
                "svc-sentinel",
                Settings.SERVICENOW_PASSWORD,
                "servicenow-secret"));
    serviceNow = ServiceClients.create(settings, FAST).serviceNow().orElseThrow();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aTicketIsCreatedWithTheTableApisFieldsAndWithoutTheUnsetOnes() throws Exception {
    ServiceNowIncident created =
        serviceNow.create(
            new TicketRequest(
                "Brute force on vm-web-01",
                "Incident #4217",
                "1",
                "2",
                CORRELATION,
                "Microsoft Sentinel",
                null,
                "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                null),
            Optional::empty);

    RecordedRequest post = only("POST");
    assertEquals("/api/now/table/incident", post.path());
    assertEquals(
        MAPPER.readTree(
            "{\"short_description\":\"Brute force on vm-web-01\",\"description\":\"Incident"
                + " #4217\",\"impact\":\"1\",\"urgency\":\"2\",\"correlation_id\":\""
                + CORRELATION
                + "\",\"correlation_display\":\"Microsoft Sentinel\","
                + "\"assignment_group\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\"}"),
        MAPPER.readTree(post.body()));
    assertEquals(CORRELATION, created.correlationId());
    assertEquals("Brute force on vm-web-01", created.shortDescription());
  }

  @Test
  void resolvingSendsTheResolvedStateTheCodeAndTheNotes() throws Exception {
    ServiceNowIncident ticket = file();

    ServiceNowIncident resolved =
        serviceNow.resolve(ticket.sysId(), "Solved (Permanently)", "False positive");

    RecordedRequest patch = only("PATCH");
    assertEquals("/api/now/table/incident/" + ticket.sysId(), patch.path());
    assertEquals(
        MAPPER.readTree(
            "{\"state\":\"6\",\"close_code\":\"Solved (Permanently)\","
                + "\"close_notes\":\"False positive\"}"),
        MAPPER.readTree(patch.body()));
    assertEquals(ServiceNowIncident.RESOLVED, resolved.state());
    assertEquals("False positive", resolved.closeNotes());
  }

  @Test
  void aNewCorrelationIdIsTheOnlyFieldWritten() throws Exception {
    ServiceNowIncident ticket = file();

    serviceNow.setCorrelationId(ticket.sysId(), "9c1d7e52-2f0a-4b8e-a6d3-5e7f8a9b0c1d");

    assertEquals(
        MAPPER.readTree("{\"correlation_id\":\"9c1d7e52-2f0a-4b8e-a6d3-5e7f8a9b0c1d\"}"),
        MAPPER.readTree(only("PATCH").body()));
    assertEquals(
        "9c1d7e52-2f0a-4b8e-a6d3-5e7f8a9b0c1d",
        serviceNow.get(ticket.sysId()).orElseThrow().correlationId());
  }

  @Test
  void ticketsAreFoundByTheirCorrelationIdOnly() {
    ServiceNowIncident ticket = file();

    List<ServiceNowIncident> found = serviceNow.findByCorrelationId(CORRELATION, 2);

    RecordedRequest get = only("GET");
    assertEquals("correlation_id=" + CORRELATION, get.query().get("sysparm_query"));
    assertEquals("2", get.query().get("sysparm_limit"));
    assertEquals(List.of(ticket.sysId()), found.stream().map(ServiceNowIncident::sysId).toList());
    assertEquals(List.of(), serviceNow.findByCorrelationId("another", 2));
  }

  private ServiceNowIncident file() {
    ServiceNowIncident ticket =
        serviceNow.create(
            new TicketRequest("x", null, null, null, CORRELATION, null, null, null, null),
            Optional::empty);
    emulator.clearRequests();
    return ticket;
  }

  /** The one request of this method to the incident table. */
  private RecordedRequest only(String method) {
    List<RecordedRequest> sent =
        emulator.requests().stream()
            .filter(r -> r.method().equals(method) && r.path().startsWith("/api/now/table"))
            .toList();
    assertEquals(
        1, sent.size(), sent.stream().map(r -> r.method() + " " + r.path()).toList().toString());
    return sent.get(0);
  }
}
