package org.sentinelplaybooks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.sentinelplaybooks.emulator.RecordedRequest;
import org.sentinelplaybooks.playbooks.core.LoggerEventSink;
import picocli.CommandLine;

/** The demo's events keep no secret, and it ends with the status view of its own state. */
class DemoStatusTest {
  static final Logger DEMO_LOG = Logger.getLogger("demo");

  @Test
  void theFullDemoWritesEventsWithoutAnySecretAndEndsWithItsStatus() {
    List<String> events = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getMessage().startsWith(LoggerEventSink.PREFIX)) {
              events.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    DEMO_LOG.setLevel(Level.INFO);
    DEMO_LOG.addHandler(handler);
    List<RecordedRequest> requests = new ArrayList<>();
    StringWriter out = new StringWriter();
    try {
      CommandLine commandLine = Main.commandLine();
      commandLine.setOut(new PrintWriter(out));
      commandLine.setErr(new PrintWriter(new StringWriter()));
      DemoCommand demo = commandLine.getSubcommands().get("demo").getCommand();
      demo.requestsSeen = requests::addAll;

      assertEquals(Main.SUCCEEDED, commandLine.execute("demo"), out.toString());
    } finally {
      DEMO_LOG.removeHandler(handler);
      DEMO_LOG.setLevel(null);
    }

    String generated =
        requests.stream()
            .filter(r -> r.method().equals("PATCH") && r.body().contains("passwordProfile"))
            .map(r -> StatusCommandTest.parse(r.body()).path("passwordProfile"))
            .map(p -> p.path("password").asText())
            .findFirst()
            .orElseThrow();
    String basic =
        requests.stream()
            .filter(r -> r.path().startsWith("/api/now/"))
            .flatMap(r -> r.headers().entrySet().stream())
            .filter(h -> h.getKey().equalsIgnoreCase("Authorization"))
            .map(h -> h.getValue().get(0))
            .findFirst()
            .orElseThrow();
    String serviceNowPassword =
        new String(
                Base64.getDecoder().decode(basic.substring("Basic ".length())),
                StandardCharsets.UTF_8)
            .split(":", 2)[1];
    assertTrue(generated.length() >= 12 && serviceNowPassword.length() >= 12);

    assertTrue(events.size() > 20, "every run of the demo wrote its events: " + events.size());
    for (String event : events) {
      assertFalse(event.contains(generated), event);
      assertFalse(event.contains(serviceNowPassword), event);
    }
    assertTrue(events.stream().anyMatch(e -> e.contains("\"playbook\":\"reconcile\"")));

    String text = out.toString();
    String status = text.substring(text.indexOf("What the app's state says now"));
    assertTrue(status.contains("203.0.113.45"), status);
    assertTrue(status.contains("Tickets: 1 linked"), status);
    assertTrue(status.contains("Reconcile checkpoints: 1 workspace(s)"), status);
    assertTrue(status.contains("(succeeded)"), status);
    assertTrue(status.contains("user " + DemoScenario.USER), status);
    assertTrue(status.contains("Suppression rules written by the playbooks: 1"), status);
  }
}
