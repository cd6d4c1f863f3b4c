package org.sentinelplaybooks.emulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test against a fresh emulator seeded with the attack scenario, called over plain HTTP. */
abstract class AttackScenarioTest {
  Emulator emulator;
  EmulatorHttp http;

  @BeforeEach
  void startEmulator() {
    emulator = Emulator.start(Scenario.builtIn("attack"));
    http = new EmulatorHttp(emulator);
  }

  @AfterEach
  void stopEmulator() {
    emulator.close();
  }
}
