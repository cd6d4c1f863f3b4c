package org.sentinelplaybooks.functions;

import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.Settings;
import org.sentinelplaybooks.playbooks.Playbooks;

/**
 * The composition root: settings, then clients, then playbooks, built once per process on first
 * use. A missing or malformed setting fails here, naming the setting.
 */
final class Application {
  private Application() {}

  private static final class Holder {
    static final Playbooks PLAYBOOKS = build();

    private static Playbooks build() {
      Settings settings = Settings.fromEnvironment();
      return Playbooks.create(settings, ServiceClients.create(settings));
    }
  }

  static Playbooks playbooks() {
    return Holder.PLAYBOOKS;
  }
}
