package org.sentinelplaybooks.playbooks.core;

import java.util.function.Supplier;
import org.sentinelplaybooks.clients.ApiException;

/**
 * Runs a read-modify-write again, from a fresh read, when its conditional write lost to another
 * writer (412 or 409), so that neither writer's change is lost.
 */
public final class ReadModifyWrite {
  static final int MAX_CONFLICTS = 8;

  private ReadModifyWrite() {}

  public static <T> T untilWritten(Supplier<T> attempt) {
    for (int conflicts = 0; ; conflicts++) {
      try {
        return attempt.get();
      } catch (ApiException e) {
        if (!e.isConflict() || conflicts >= MAX_CONFLICTS) {
          throw e;
        }
      }
    }
  }
}
