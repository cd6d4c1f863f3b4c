package org.sentinelplaybooks.clients.servicenow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.FakeWaiter;
import org.sentinelplaybooks.clients.Secret;
import org.sentinelplaybooks.clients.ServiceNowSettings;
import org.sentinelplaybooks.clients.implementation.Pipelines;
import org.sentinelplaybooks.emulator.Emulator;
import org.sentinelplaybooks.emulator.Scenario;

/**
 * The OAuth token is kept by the clients' clock until a minute before the {@code expires_in} of its
 * answer (the instance's {@code /oauth_token.do}, client credentials).
 */
class ServiceNowTokenTest {
  static final String CLIENT = "sentinel-playbooks-client";
  static final String SECRET = "client-secret-for-this-test";

  Emulator emulator;
  FakeWaiter waiter;
  ServiceNowClient serviceNow;

  @BeforeEach
  void start() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    emulator.state().setServiceNowAccount(null, null, CLIENT, SECRET);
    waiter = new FakeWaiter();
    ClientOptions options =
        new ClientOptions(3, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5))
            .withWaiter(waiter);
    ServiceNowSettings settings =
        new ServiceNowSettings(
            URI.create(emulator.baseUrl()), null, null, CLIENT, new Secret(SECRET));
    serviceNow =
        ServiceNowClient.builder(settings)
            .httpClient(Pipelines.httpClient(options))
            .options(options)
            .buildClient();
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  long tokenRequests() {
    return emulator.requests().stream().filter(r -> r.path().equals("/oauth_token.do")).count();
  }

  @Test
  void theTokenIsKeptUntilAMinuteBeforeItExpiresByTheClientsClock() {
    serviceNow.get("0000000000000000000000000000000a");
    waiter.sleep(Duration.ofSeconds(1799 - 60 - 1));
    serviceNow.get("0000000000000000000000000000000a");
    assertEquals(1, tokenRequests(), "one token while it is good");

    waiter.sleep(Duration.ofSeconds(1));
    serviceNow.get("0000000000000000000000000000000a");
    assertEquals(2, tokenRequests(), "a new token a minute before the first expires");
  }
}
