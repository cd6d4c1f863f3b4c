package org.sentinelplaybooks.clients.implementation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.FakeWaiter;

/**
 * A 429 holds back every call to the bucket it came from, so that calls refused once are not
 * refused again and again while others take each refilled token (ARM's buckets are per subscription
 * and per kind of operation: MicrosoftDocs/azure-docs
 * articles/azure-resource-manager/management/request-limits-and-throttling.md).
 */
class ThrottleGateTest {
  private static final URI INCIDENT =
      URI.create(
          "https://management.azure.com/subscriptions/8F2C1A77-0000-4000-8000-000000000001"
              + "/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"
              + "/providers/Microsoft.SecurityInsights/incidents/i?api-version=2024-03-01");
  private static final URI OTHER_SUBSCRIPTION =
      URI.create(
          "https://management.azure.com/subscriptions/2b3c4d5e-0000-4000-8000-000000000002"
              + "/providers/Microsoft.Security/alerts?api-version=2022-01-01");

  private final FakeWaiter waiter = new FakeWaiter();
  private final CallRules rules =
      CallRules.of(
          new ClientOptions(3, Duration.ofMillis(10), Duration.ofSeconds(5), Duration.ofMinutes(5))
              .withWaiter(waiter));

  private static CallRules.Answer throttled(String retryAfter) {
    Map<String, String> headers = Map.of("Retry-After", retryAfter);
    return new CallRules.Answer(429, headers::get);
  }

  @Test
  void aRefusedWriteHoldsBackTheNextWriteToTheSameSubscriptionUntilTheWaitEnds() {
    CallRules.Call refused = rules.start(() -> {}, "PUT", INCIDENT);
    refused.beforeTry();
    assertEquals(Duration.ofSeconds(2), refused.afterAnswer(throttled("2")));

    CallRules.Call next = rules.start(() -> {}, "PUT", INCIDENT);
    next.beforeTry();
    assertEquals(List.of(Duration.ofSeconds(2)), waiter.waits(), "held back as long as asked");
  }

  @Test
  void readsDeletesAndOtherSubscriptionsDrawOnOtherBucketsAndAreNotHeldBack() {
    CallRules.Call refused = rules.start(() -> {}, "PUT", INCIDENT);
    refused.beforeTry();
    refused.afterAnswer(throttled("2"));

    rules.start(() -> {}, "GET", INCIDENT).beforeTry();
    rules.start(() -> {}, "DELETE", INCIDENT).beforeTry();
    rules.start(() -> {}, "PUT", OTHER_SUBSCRIPTION).beforeTry();
    assertEquals(List.of(), waiter.waits(), "no other bucket was throttled");
  }

  @Test
  void theHoldEndsWithTheWaitTheServiceAskedFor() {
    CallRules.Call refused = rules.start(() -> {}, "GET", INCIDENT);
    refused.beforeTry();
    refused.afterAnswer(throttled("3"));
    waiter.sleep(Duration.ofSeconds(3));

    rules.start(() -> {}, "GET", INCIDENT).beforeTry();
    assertEquals(List.of(Duration.ofSeconds(3)), waiter.waits(), "only the wait already made");
  }

  @Test
  void theBucketIsTheHostTheSubscriptionCaselessAndTheKindOfOperation() {
    assertEquals(
        "management.azure.com:-1/8f2c1a77-0000-4000-8000-000000000001/writes",
        ThrottleGate.bucketOf("PATCH", INCIDENT));
    assertEquals(
        "management.azure.com:-1/-/reads",
        ThrottleGate.bucketOf(
            "GET", URI.create("https://management.azure.com/providers/Microsoft.Security")));
  }
}
