package org.sentinelplaybooks.cli;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * This CLI's jar run in a JVM of its own, with the given settings as its whole app configuration:
 * the settings of the shell that started the bench are left out, so nothing reaches Azure.
 */
final class ChildJvm {
  record Finished(int exitCode, Duration wall, String out, String err) {}

  private ChildJvm() {}

  /** The jar this class was loaded from, if it was loaded from a jar. */
  static Optional<Path> ownJar() {
    try {
      Path location =
          Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) && location.toString().endsWith(".jar")
          ? Optional.of(location)
          : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @SuppressFBWarnings(
      value = "COMMAND_INJECTION",
      justification =
          "no shell: this JVM's own java binary runs the jar the operator named, with the bench's"
              + " fixed arguments")
  static Finished run(
      Path jar,
      List<String> jvmOptions,
      Map<String, String> settings,
      List<String> arguments,
      Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    PlaybookSettings.NAMES.forEach(builder.environment()::remove);
    builder.environment().putAll(settings);
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("bench-out", ".txt");
      err = Files.createTempFile("bench-err", ".txt");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", arguments) + " did not finish within " + timeout);
      }
      Duration wall = Duration.ofNanos(System.nanoTime() - start);
      return new Finished(
          process.exitValue(),
          wall,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + jar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  /** Deletes a temporary file, if there is one; one left behind is harmless. */
  static void delete(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // A temporary file left behind is harmless.
    }
  }
}
