package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorCode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ARM's token-bucket throttling: reads and writes apart, only on the ARM routes. */
class ArmThrottlingEmulatorTest extends AttackScenarioTest {
  static final String INCIDENT = EmulatorTest.INCIDENT + EmulatorTest.SENTINEL;
  static final String ALERTS = EmulatorTest.INCIDENT + "/alerts" + EmulatorTest.SENTINEL;
  static final String READS = "x-ms-ratelimit-remaining-subscription-reads";
  static final String WRITES = "x-ms-ratelimit-remaining-subscription-writes";
  static final String USER = "/v1.0/users/6f4b2c1e-9d8a-4b7c-a1e2-3f4d5c6b7a89";

  static String header(HttpResponse<String> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  HttpResponse<String> comment(String name) throws Exception {
    return http.send(
        "PUT",
        EmulatorTest.INCIDENT + "/comments/" + name + EmulatorTest.SENTINEL,
        "{\"properties\":{\"message\":\"checked\"}}");
  }

  @Test
  void theFourthReadOfThreeIsThrottledUntilATokenIsBack() throws Exception {
    // Opens the connection first, so the bucket's refill does not see the handshake.
    assertEquals(200, http.send("GET", USER, null).statusCode());
    emulator.state().setArmThrottling(3, 1, 10, 1);
    List<String> remaining =
        List.of(
            header(http.send("GET", INCIDENT, null), READS),
            header(http.send("POST", ALERTS, null), READS),
            header(http.send("GET", INCIDENT, null), READS));
    assertEquals(List.of("2", "1", "0"), remaining);

    HttpResponse<String> throttled = http.send("GET", INCIDENT, null);
    assertEquals(429, throttled.statusCode(), throttled.body());
    assertEquals("TooManyRequests", errorCode(throttled));
    assertTrue(Integer.parseInt(header(throttled, "Retry-After")) >= 1);
    assertEquals("0", header(throttled, READS));
    assertEquals(1, emulator.state().armThrottled());

    HttpResponse<String> write = comment("c-1");
    assertEquals(201, write.statusCode(), write.body());
    assertEquals("9", header(write, WRITES));
    assertEquals(null, header(write, READS));

    HttpResponse<String> graph = http.send("GET", USER, null);
    assertEquals(200, graph.statusCode());
    assertEquals(null, header(graph, READS));
    assertEquals(200, http.send("GET", "/api/indicators", null).statusCode());
    assertEquals(1, emulator.state().armThrottled());
  }

  @Test
  void writesHaveTheirOwnBucket() throws Exception {
    emulator.state().setArmThrottling(100, 1, 2, 0.5);
    assertEquals(201, comment("c-1").statusCode());
    assertEquals(
        204,
        http.send("POST", EmulatorTest.RG_ALERT + "/dismiss" + EmulatorTest.SECURITY, null)
            .statusCode());
    HttpResponse<String> third = comment("c-2");
    assertEquals(429, third.statusCode());
    assertEquals("0", header(third, WRITES));
    assertTrue(Integer.parseInt(header(third, "Retry-After")) >= 1);

    HttpResponse<String> read =
        http.send("GET", EmulatorTest.RG_ALERT + EmulatorTest.SECURITY, null);
    assertEquals(200, read.statusCode());
    assertEquals("99", header(read, READS));
    assertEquals(1, emulator.state().armThrottled());
  }

  @Test
  void resourceGraphQueriesAreReadsAndTheBucketRefills() throws Exception {
    String body =
        ResourceGraphEmulatorTest.body(
            List.of(ResourceGraphEmulatorTest.WEB_SUBSCRIPTION),
            ResourceGraphEmulatorTest.ALERTS,
            null,
            null);
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    emulator.state().setRateLimitClock(clock);
    emulator.state().setArmThrottling(1, 0.01, 5, 1);
    HttpResponse<String> first = http.send("POST", ResourceGraphEmulatorTest.RESOURCES, body);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals("0", header(first, READS));
    assertEquals(429, http.send("POST", ResourceGraphEmulatorTest.RESOURCES, body).statusCode());
    assertEquals(201, comment("c-1").statusCode());

    emulator.state().setArmThrottling(1, 20, 5, 1);
    assertEquals(200, http.send("POST", ResourceGraphEmulatorTest.RESOURCES, body).statusCode());
    assertEquals(429, http.send("POST", ResourceGraphEmulatorTest.RESOURCES, body).statusCode());
    clock.advance(Duration.ofMillis(50)); // one token back at 20 a second
    assertEquals(200, http.send("POST", ResourceGraphEmulatorTest.RESOURCES, body).statusCode());
    assertEquals(2, emulator.state().armThrottled());
  }

  @Test
  void throttlingIsOffByDefaultAndCanBeTurnedOff() throws Exception {
    HttpResponse<String> plain = http.send("GET", INCIDENT, null);
    assertEquals(200, plain.statusCode());
    assertEquals(null, header(plain, READS));
    emulator.state().setArmThrottling(1, 0.01, 1, 0.01);
    assertEquals(200, http.send("GET", INCIDENT, null).statusCode());
    assertEquals(429, http.send("GET", INCIDENT, null).statusCode());
    HttpResponse<String> notFound =
        http.send(
            "GET",
            EmulatorTest.WORKSPACE
                + "/providers/Microsoft.SecurityInsights/incidents/nope"
                + EmulatorTest.SENTINEL,
            null);
    assertEquals(429, notFound.statusCode());
    assertTrue(Integer.parseInt(header(notFound, "Retry-After")) >= 90);
    emulator.state().disableArmThrottling();
    HttpResponse<String> again = http.send("GET", INCIDENT, null);
    assertEquals(200, again.statusCode());
    assertFalse(again.headers().firstValue(READS).isPresent());
    assertEquals(2, emulator.state().armThrottled());
  }
}
