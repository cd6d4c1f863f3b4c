package org.sentinelplaybooks.functions;

import org.sentinelplaybooks.playbooks.Composition;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * The functions' hold on the one composition root ({@link Composition}): built once per process on
 * first use. A missing or malformed setting fails here, naming the setting.
 */
final class Application {
  /**
   * azure-core sets Content-Length, which the JDK HTTP client computes itself and warns about on
   * every request; the logger is held here so the level set on it sticks.
   */
  private static final java.util.logging.Logger JDK_CLIENT_NOISE =
      java.util.logging.Logger.getLogger("com.azure.core.http.jdk.httpclient");

  private Application() {}

  private static final class Holder {
    static final Playbooks PLAYBOOKS = build();

    private static Playbooks build() {
      JDK_CLIENT_NOISE.setLevel(java.util.logging.Level.SEVERE);
      return Composition.of(PlaybookSettings.fromEnvironment()).playbooks();
    }
  }

  static Playbooks playbooks() {
    return Holder.PLAYBOOKS;
  }
}
