package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.sentinelplaybooks.clients.Json;

/** What a short-lived process, such as one CLI command, does to start and to end quickly. */
final class ShortProcess {
  private ShortProcess() {}

  /**
   * Starts, on a background thread, the one-time initialisation that the first request otherwise
   * waits for: the default TLS context (the JDK HTTP client builds it even for plain-http
   * endpoints) and Jackson. Called first thing, it runs on another core while the process parses
   * its arguments and reads its settings; what it has not finished when needed, the first use waits
   * for.
   */
  static void warmUpInBackground() {
    Thread thread = new Thread(ShortProcess::warmUp, "warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void warmUp() {
    try {
      SSLContext.getDefault().getDefaultSSLParameters();
      Json.MAPPER.readTree(Json.MAPPER.readTree("{\"a\":[\"b\",1,true,null]}").toString());
    } catch (NoSuchAlgorithmException
        | JsonProcessingException
        | RuntimeException
        | LinkageError e) {
      // The first real use fails the same way and reports it.
    }
  }

  /**
   * Ends the JDK HTTP clients' selector threads, for a process about to exit with no request in
   * flight. JDK 17's client cannot be closed, its selector thread waits in native code, and the JVM
   * waits up to 300 ms at exit for threads in native code. Interrupted, the thread closes its
   * selector and ends.
   */
  static void releaseHttpClients() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        thread.interrupt();
        try {
          thread.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
