package org.sentinelplaybooks.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RunDeadlineTest {
  static final Instant SOON = Instant.parse("2026-11-01T00:05:00Z");
  static final Instant LATER = Instant.parse("2026-11-01T00:09:00Z");

  @Test
  void theSoonerDeadlineHoldsAndEndsWithItsWork() {
    assertEquals(Optional.empty(), RunDeadline.current());
    RunDeadline.within(
        SOON,
        () -> {
          assertEquals(
              Optional.of(SOON), RunDeadline.within(LATER, RunDeadline::current), "sooner holds");
          return null;
        });
    assertEquals(Optional.empty(), RunDeadline.current());
  }

  @Test
  void workHandedToAnotherThreadTakesTheDeadlineAlong() {
    Optional<Instant> seen =
        RunDeadline.within(
            SOON,
            () -> CompletableFuture.supplyAsync(RunDeadline.carried(RunDeadline::current)).join());
    assertEquals(Optional.of(SOON), seen);
  }

  @Test
  void aRunEndsBeforeTheHostsFunctionTimeout() throws Exception {
    JsonNode host = Json.read(Files.readString(Path.of("..", "host.json")));
    Duration timeout =
        Duration.ofSeconds(LocalTime.parse(host.path("functionTimeout").asText()).toSecondOfDay());
    assertTrue(
        RunDeadline.RUN_TIMEOUT.plusSeconds(30).compareTo(timeout) <= 0,
        RunDeadline.RUN_TIMEOUT + " leaves too little of " + timeout);
  }
}
