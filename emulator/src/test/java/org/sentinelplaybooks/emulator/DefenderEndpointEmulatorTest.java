package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.JSON;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorCode;
import static org.sentinelplaybooks.emulator.EmulatorHttp.errorMessage;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Microsoft Defender for Endpoint indicators over HTTP. */
class DefenderEndpointEmulatorTest extends AttackScenarioTest {
  static final String INDICATORS = "/api/indicators";

  static ObjectNode indicator(String value, String action) {
    return JSON.createObjectNode()
        .put("indicatorValue", value)
        .put("indicatorType", "IpAddress")
        .put("action", action)
        .put("title", "Attacker " + value)
        .put("description", "Seen in Sentinel incident 4217")
        .put("severity", "High")
        .put("expirationTime", "2030-01-01T00:00:00Z")
        .put("generateAlert", true);
  }

  HttpResponse<String> list(String filter) throws Exception {
    return http.send(
        "GET", INDICATORS + "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8), null);
  }

  @Test
  void aSubmitCreatesThenUpdatesTheSameIndicator() throws Exception {
    assertTrue(emulator.state().mdeIndicators().isEmpty());
    HttpResponse<String> created =
        http.send("POST", INDICATORS, indicator("203.0.113.45", "Audit").toString());
    assertEquals(200, created.statusCode(), created.body());
    JsonNode first = json(created);
    assertTrue(first.path("id").asText().matches("\\d+"), first.path("id").asText());
    assertEquals("AadApp", first.path("sourceType").asText());
    assertEquals("High", first.path("severity").asText());
    assertEquals("2030-01-01T00:00:00Z", first.path("expirationTime").asText());
    assertTrue(first.path("creationTimeDateTimeUtc").isTextual());
    assertTrue(first.path("rbacGroupNames").isArray());

    HttpResponse<String> updated =
        http.send("POST", INDICATORS, indicator("203.0.113.45", "Block").toString());
    assertEquals(200, updated.statusCode(), updated.body());
    JsonNode second = json(updated);
    assertEquals(first.path("id").asText(), second.path("id").asText(), "an update keeps the id");
    assertEquals("Block", second.path("action").asText());
    assertEquals(
        first.path("creationTimeDateTimeUtc").asText(),
        second.path("creationTimeDateTimeUtc").asText());
    assertEquals(1, emulator.state().mdeIndicators().size());

    ObjectNode domain = indicator("EVIL.example.com", "Block").put("indicatorType", "DomainName");
    String domainId = json(http.send("POST", INDICATORS, domain.toString())).path("id").asText();
    assertEquals(
        domainId,
        json(http.send(
                "POST", INDICATORS, domain.put("indicatorValue", "evil.example.com").toString()))
            .path("id")
            .asText(),
        "values match without regard to case");
    assertTrue(!domainId.equals(first.path("id").asText()));
    assertEquals(2, emulator.state().mdeIndicators().size());
  }

  @Test
  void indicatorsAreListedByValueAndType() throws Exception {
    http.send("POST", INDICATORS, indicator("203.0.113.45", "Block").toString());
    http.send("POST", INDICATORS, indicator("198.51.100.7", "Block").toString());
    http.send(
        "POST",
        INDICATORS,
        indicator("203.0.113.45", "Block").put("indicatorType", "DomainName").toString());

    JsonNode all = json(http.send("GET", INDICATORS, null));
    assertEquals(
        emulator.baseUrl() + "/api/$metadata#Indicators", all.path("@odata.context").asText());
    assertEquals(3, all.path("value").size());
    assertEquals(2, json(list("indicatorValue eq '203.0.113.45'")).path("value").size());
    JsonNode one = json(list("indicatorValue eq '203.0.113.45' and indicatorType eq 'IpAddress'"));
    assertEquals(1, one.path("value").size());
    assertEquals("IpAddress", one.path("value").get(0).path("indicatorType").asText());
    assertEquals(0, json(list("indicatorValue eq '192.0.2.1'")).path("value").size());

    ObjectNode url = indicator("https://evil.example/o'brien", "Block").put("indicatorType", "Url");
    assertEquals(200, http.send("POST", INDICATORS, url.toString()).statusCode());
    assertEquals(
        1,
        json(list("indicatorValue eq 'https://evil.example/o''brien' and indicatorType eq 'Url'"))
            .path("value")
            .size(),
        "a doubled quote is a quote");
    assertEquals(400, list("indicatorValue eq 'unterminated").statusCode());

    HttpResponse<String> unsupported = list("action eq 'Block'");
    assertEquals(400, unsupported.statusCode());
    assertTrue(json(unsupported).path("error").path("target").isTextual());
  }

  @Test
  void onlySinglePublicAddressesAndCompleteBodiesAreAccepted() throws Exception {
    for (String value :
        new String[] {"203.0.113.0/24", "10.1.2.3", "192.168.0.1", "fd00::1", "203.0.113.300"}) {
      HttpResponse<String> refused =
          http.send("POST", INDICATORS, indicator(value, "Block").toString());
      assertEquals(400, refused.statusCode(), value);
      assertEquals("InvalidRequestBody", errorCode(refused), value);
      assertTrue(errorMessage(refused).contains(value), errorMessage(refused));
    }
    assertTrue(
        errorMessage(http.send("POST", INDICATORS, indicator("203.0.113.0/24", "Block").toString()))
            .contains("CIDR"));
    assertTrue(
        errorMessage(http.send("POST", INDICATORS, indicator("10.1.2.3", "Block").toString()))
            .contains("public"));
    assertEquals(
        200,
        http.send("POST", INDICATORS, indicator("2001:db8::45", "Block").toString()).statusCode());

    ObjectNode untitled = indicator("203.0.113.45", "Block");
    untitled.remove("title");
    HttpResponse<String> missing = http.send("POST", INDICATORS, untitled.toString());
    assertEquals(400, missing.statusCode());
    assertEquals("InvalidRequestBody", errorCode(missing));
    assertTrue(errorMessage(missing).contains("title"), errorMessage(missing));
    assertTrue(json(missing).path("error").path("target").asText().matches("[0-9a-f-]{36}"));
    assertEquals(
        400,
        http.send("POST", INDICATORS, indicator("203.0.113.45", "Quarantine").toString())
            .statusCode());
    assertEquals(1, emulator.state().mdeIndicators().size(), "only the IPv6 one was stored");
    assertEquals(
        401,
        http.send("POST", INDICATORS, indicator("203.0.113.45", "Block").toString(), Map.of())
            .statusCode());
  }

  @Test
  void callsBeyondTheRateLimitAre429WithRetryAfter() throws Exception {
    emulator.state().setMdeRateLimit(3);
    assertEquals(
        200,
        http.send("POST", INDICATORS, indicator("203.0.113.45", "Block").toString()).statusCode());
    assertEquals(200, http.send("GET", INDICATORS, null).statusCode());
    assertEquals(400, list("title eq 'x'").statusCode(), "a refused call still counts");
    HttpResponse<String> throttled =
        http.send("POST", INDICATORS, indicator("203.0.113.46", "Block").toString());
    assertEquals(429, throttled.statusCode());
    assertEquals("TooManyRequests", errorCode(throttled));
    long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertEquals(429, http.send("GET", INDICATORS, null).statusCode());
    assertEquals(1, emulator.state().mdeIndicators().size(), "the throttled submit stored nothing");
  }

  /**
   * "100 calls per minute and 1500 calls per hour" (MicrosoftDocs/defender-docs
   * defender-endpoint/api/post-ti-indicator.md): both windows hold, timed by the clock the test
   * moves.
   */
  @Test
  void theMinuteAndTheHourAreBothEnforced() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-01T08:00:00Z"));
    emulator.state().setMdeClock(clock);
    String body = indicator("203.0.113.45", "Block").toString();
    for (int minute = 0; minute < 15; minute++) {
      for (int call = 0; call < 100; call++) {
        assertEquals(200, http.send("POST", INDICATORS, body).statusCode(), "minute " + minute);
      }
      HttpResponse<String> minuteFull = http.send("POST", INDICATORS, body);
      assertEquals(429, minuteFull.statusCode(), "the 101st call of minute " + minute);
      assertTrue(errorMessage(minuteFull).contains("100 calls a minute"), errorMessage(minuteFull));
      clock.advance(Duration.ofMinutes(1));
    }

    HttpResponse<String> hourFull = http.send("POST", INDICATORS, body);
    assertEquals(429, hourFull.statusCode(), "1,500 calls within the hour");
    assertEquals("TooManyRequests", errorCode(hourFull));
    assertTrue(errorMessage(hourFull).contains("1500 calls an hour"), errorMessage(hourFull));
    assertEquals(
        "2700", hourFull.headers().firstValue("Retry-After").orElseThrow(), "45 min to the first");

    clock.advance(Duration.ofMinutes(45));
    assertEquals(200, http.send("POST", INDICATORS, body).statusCode(), "the first minute left");
  }
}
