package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.implementation.Pipelines;

class ShortProcessTest {
  @Test
  void releasingTheHttpClientsEndsTheirSelectorThreads() {
    Pipelines.httpClient(ClientOptions.defaults());
    assertTrue(selectorThreadsAlive(), "the JDK client runs a selector thread");
    ShortProcess.releaseHttpClients();
    assertFalse(selectorThreadsAlive());
  }

  private static boolean selectorThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(thread -> thread.isAlive() && thread.getName().endsWith("-SelectorManager"));
  }
}
