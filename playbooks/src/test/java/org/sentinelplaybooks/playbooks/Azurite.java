package org.sentinelplaybooks.playbooks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's Table service for the tests, from npm: installed on first use into {@code .azurite/} at
 * the root of the checkout, started once per test JVM on a free loopback port, in memory, and
 * stopped when the JVM exits. Nothing needs to be running before the tests start.
 */
public final class Azurite {
  public static final String VERSION = "3.35.0";

  /** Azurite's documented development account; it opens nothing but a local emulator. */
  public static final String DEV_ACCOUNT = "devstoreaccount1";

  public static final String DEV_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static String connectionString;

  private Azurite() {}

  /** The connection string of a running Azurite Table service, starting it if needed. */
  public static synchronized String tableConnectionString() {
    if (connectionString == null) {
      connectionString = start();
    }
    return connectionString;
  }

  private static String start() {
    try {
      Path home = checkoutRoot().resolve(".azurite");
      Path binary = home.resolve("node_modules/.bin/azurite-table");
      if (!Files.isExecutable(binary)) {
        run(
            List.of(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--prefix",
                home.toString(),
                "azurite@" + VERSION),
            home);
      }
      int port;
      try (ServerSocket socket =
          new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Process azurite =
          new ProcessBuilder(
                  binary.toString(),
                  "--silent",
                  "--inMemoryPersistence",
                  "--disableTelemetry",
                  "--skipApiVersionCheck",
                  "--tableHost",
                  "127.0.0.1",
                  "--tablePort",
                  Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("azurite-" + port + ".log").toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(azurite::destroyForcibly));
      waitForPort(port, azurite);
      return "DefaultEndpointsProtocol=http;AccountName="
          + DEV_ACCOUNT
          + ";AccountKey="
          + DEV_KEY
          + ";TableEndpoint=http://127.0.0.1:"
          + port
          + "/"
          + DEV_ACCOUNT
          + ";";
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Azurite could not be started (is Node.js with npm installed?)", e);
    }
  }

  private static Path checkoutRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".ci"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the checkout's root (the folder with .ci/) above "
              + System.getProperty("user.dir"));
    }
    return dir;
  }

  private static void run(List<String> command, Path home) throws IOException {
    Files.createDirectories(home);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(new File(home.toFile(), "npm-install.log"))
            .start();
    try {
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException(
            "'" + String.join(" ", command) + "' failed; see " + home.resolve("npm-install.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while installing Azurite", e);
    }
  }

  /**
   * Polls, on the wall clock, for the port of the Azurite process just started: another process's
   * start-up is the one wait here that no test clock can move. Bounded to 60 s, and a fixture's,
   * not a test's: no assertion depends on how long it took.
   */
  private static void waitForPort(int port, Process azurite) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!azurite.isAlive()) {
        throw new IOException("Azurite exited with " + azurite.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for Azurite", e);
        }
      }
    }
    throw new IOException("Azurite did not open port " + port + " within 60 s");
  }
}
