package org.sentinelplaybooks.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sentinelplaybooks.emulator.EmulatorHttp.json;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redirects and tampered answers, injected on demand, for testing clients against them. */
class HostileAnswerFaultsTest extends AttackScenarioTest {
  static final String INCIDENTS = EmulatorTest.INCIDENTS + EmulatorTest.SENTINEL;
  static final String ELSEWHERE = "http://127.0.0.2:1/elsewhere";

  @Test
  void aRedirectAnswersItsStatusAndLocationInsteadOfTheRoute() throws Exception {
    emulator
        .faults()
        .inject(new FaultRule("PATCH", "/v1\\.0/users/", Fault.redirect(307, ELSEWHERE), 1));
    HttpResponse<String> redirected =
        http.send("PATCH", "/v1.0/users/someone", "{\"passwordProfile\":{}}");
    assertEquals(307, redirected.statusCode());
    assertEquals(ELSEWHERE, redirected.headers().firstValue("Location").orElseThrow());
    assertEquals("", redirected.body());
    assertEquals(List.of(307), emulator.requests().stream().map(RecordedRequest::status).toList());
  }

  @Test
  void aTamperedFieldReplacesTheBodysFieldAndKeepsTheRest() throws Exception {
    emulator
        .faults()
        .inject(new FaultRule("GET", "/incidents$", Fault.tamperField("nextLink", ELSEWHERE), 1));
    HttpResponse<String> tampered = http.send("GET", INCIDENTS + "&$top=1", null);
    assertEquals(200, tampered.statusCode());
    assertEquals(ELSEWHERE, json(tampered).path("nextLink").asText());
    assertEquals(1, json(tampered).path("value").size());
    HttpResponse<String> honest = http.send("GET", INCIDENTS + "&$top=1", null);
    assertTrue(
        json(honest).path("nextLink").asText().startsWith(emulator.baseUrl()),
        "the rule is used up");
  }

  @Test
  void aTamperedHeaderReplacesTheAnswersHeader() throws Exception {
    String rule = NetworkEmulatorTest.NSG + "/securityRules/allow-https";
    emulator
        .faults()
        .inject(
            new FaultRule(
                "DELETE", "/securityRules/", Fault.tamperHeader("Location", ELSEWHERE), 1));
    HttpResponse<String> deleted = http.send("DELETE", rule + NetworkEmulatorTest.VERSION, null);
    assertEquals(202, deleted.statusCode());
    assertEquals(List.of(ELSEWHERE), deleted.headers().allValues("Location"));
  }

  @Test
  void aRedirectIsA3xxAndATamperingNamesWhatItChanges() {
    assertThrows(IllegalArgumentException.class, () -> Fault.redirect(200, ELSEWHERE));
    assertThrows(IllegalArgumentException.class, () -> Fault.redirect(404, ELSEWHERE));
    assertThrows(NullPointerException.class, () -> Fault.tamperHeader(null, ELSEWHERE));
    assertThrows(NullPointerException.class, () -> Fault.tamperField("nextLink", null));
  }
}
