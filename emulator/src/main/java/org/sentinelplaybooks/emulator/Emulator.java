package org.sentinelplaybooks.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import org.sentinelplaybooks.emulator.internal.Answer;
import org.sentinelplaybooks.emulator.internal.ApiError;
import org.sentinelplaybooks.emulator.internal.Call;
import org.sentinelplaybooks.emulator.internal.DefenderEndpointApi;
import org.sentinelplaybooks.emulator.internal.GraphApi;
import org.sentinelplaybooks.emulator.internal.GraphSecurityApi;
import org.sentinelplaybooks.emulator.internal.NetworkApi;
import org.sentinelplaybooks.emulator.internal.ResourceGraphApi;
import org.sentinelplaybooks.emulator.internal.SecurityApi;
import org.sentinelplaybooks.emulator.internal.SentinelApi;
import org.sentinelplaybooks.emulator.internal.ServiceNowApi;
import org.sentinelplaybooks.emulator.internal.Store;
import org.sentinelplaybooks.emulator.internal.SuppressionRulesApi;

/**
 * A local, stateful emulator of the Azure, Graph, ServiceNow and Defender for Endpoint APIs the
 * playbooks call, on 127.0.0.1 only. Paths, bodies and status codes follow the public API
 * references; it records every request and injects latency and faults on demand.
 */
public final class Emulator implements AutoCloseable {
  static {
    // The JDK's server writes headers and body apart: with Nagle's algorithm on, each answer
    // would wait for the client's delayed ACK (about 40 ms on Linux), which no Azure endpoint does.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private volatile Services services;
  private final Faults faults = new Faults();
  private final List<Entry> requests = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final String baseUrl;

  /** What stamps records and requests and times every limit and latency. */
  private volatile Clock clock;

  /** How a delay or latency is waited out: a sleep, or a test's clock moved on. */
  private volatile Consumer<Duration> pause;

  private Emulator(Scenario scenario, int port, Clock clock, Consumer<Duration> pause) {
    this.clock = clock;
    this.pause = pause;
    services = Services.of(scenario, clock);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("the emulator cannot listen on 127.0.0.1:" + port, e);
    }
    executor =
        Executors.newFixedThreadPool(
            32,
            task -> {
              Thread thread = new Thread(task, "emulator-" + sequence.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** On a free port, on the system clock, sleeping out delays and latency. */
  public static Emulator start(Scenario scenario) {
    return start(scenario, 0);
  }

  /** On {@code port}, on the system clock, sleeping out delays and latency. */
  public static Emulator start(Scenario scenario, int port) {
    return new Emulator(scenario, port, Clock.systemUTC(), Emulator::sleep);
  }

  /**
   * From now on (and after every {@link #reset}) records, requests and every limit are timed by
   * {@code clock}, and delays and latency are waited out by {@code pause} instead of a sleep.
   */
  public void useClock(Clock clock, Consumer<Duration> pause) {
    this.clock = clock;
    this.pause = pause;
    Store store = services.store();
    synchronized (store) {
      store.useClock(clock);
    }
  }

  /** As {@link #useClock(Clock, Consumer)}, each delay and latency moving {@code clock} on. */
  public void useClock(ManualClock clock) {
    useClock(clock, clock::advance);
  }

  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return requests.stream()
          .sorted(Comparator.comparingLong(Entry::sequence))
          .map(Entry::request)
          .toList();
    }
  }

  /**
   * Waits until {@code count} recorded requests match {@code which} (a request is recorded once its
   * answer is ready, so what it changed is in the state), at most {@code atMost}; the matching
   * requests in order of receipt.
   *
   * @throws IllegalStateException when fewer have been answered by then
   */
  public List<RecordedRequest> awaitRequests(
      Predicate<RecordedRequest> which, int count, Duration atMost) throws InterruptedException {
    // The system's monotonic time, whatever clock the emulator is on: this waits for requests that
    // other threads send, which no test clock moves.
    long deadline = System.nanoTime() + atMost.toNanos();
    synchronized (requests) {
      while (true) {
        List<RecordedRequest> matching = requests().stream().filter(which).toList();
        long left = deadline - System.nanoTime();
        if (matching.size() >= count) {
          return matching;
        }
        if (left <= 0) {
          throw new IllegalStateException(
              matching.size() + " of " + count + " awaited requests answered within " + atMost);
        }
        TimeUnit.NANOSECONDS.timedWait(requests, left);
      }
    }
  }

  public void clearRequests() {
    synchronized (requests) {
      requests.clear();
    }
  }

  public Faults faults() {
    return faults;
  }

  public EmulatorState state() {
    return services.state();
  }

  /**
   * Starts over from {@code scenario} on the same address, forgetting every request, so that
   * clients keep their connections from one run to the next. Faults and latency stay.
   */
  public void reset(Scenario scenario) {
    services = Services.of(scenario, clock);
    clearRequests();
  }

  /** The state and the APIs that serve it, replaced together by {@link #reset}. */
  private record Services(
      Store store,
      EmulatorState state,
      SentinelApi sentinel,
      SecurityApi security,
      ServiceNowApi serviceNow,
      GraphApi graph,
      GraphSecurityApi graphSecurity,
      NetworkApi network,
      DefenderEndpointApi defenderForEndpoint,
      ResourceGraphApi resourceGraph,
      SuppressionRulesApi suppressionRules) {
    static Services of(Scenario scenario, Clock clock) {
      Store store = new Store(clock);
      store.seed(scenario.root());
      return new Services(
          store,
          new EmulatorState(store),
          new SentinelApi(store),
          new SecurityApi(store),
          new ServiceNowApi(store),
          new GraphApi(store),
          new GraphSecurityApi(store),
          new NetworkApi(store),
          new DefenderEndpointApi(store),
          new ResourceGraphApi(store),
          new SuppressionRulesApi(store));
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Entry(long sequence, RecordedRequest request) {}

  private void exchange(HttpExchange exchange) throws IOException {
    long order = sequence.incrementAndGet();
    Clock clock = this.clock;
    Consumer<Duration> pause = this.pause;
    Instant receivedAt = clock.instant();
    // The latency is the time from receipt to answer, the emulator's own work included.
    Instant answerAt = receivedAt.plus(faults.latency());
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Call call = new Call(method, path, query, headers, body, baseUrl);

    Optional<Fault> fault = faults.take(method, path);
    if (fault.isPresent() && fault.get() instanceof Fault.Delay delay) {
      waitOut(pause, delay.delay());
    }
    if (fault.isPresent() && fault.get() instanceof Fault.Drop) {
      waitOut(pause, Duration.between(clock.instant(), answerAt));
      record(order, call, 0, receivedAt, clock);
      drop(exchange);
      return;
    }
    Answer answer;
    if (fault.isPresent() && fault.get() instanceof Fault.Status status) {
      answer = faultAnswer(status);
    } else if (fault.isPresent() && fault.get() instanceof Fault.Redirect redirect) {
      answer = new Answer(redirect.status(), Map.of("Location", redirect.location()), null);
    } else {
      try {
        answer = answer(services, call);
      } catch (RuntimeException e) {
        answer = error(500, "InternalServerError", "The emulator failed: " + e + ".", Map.of());
      }
      if (fault.isPresent()) {
        answer = tamper(fault.get(), answer);
      }
    }
    waitOut(pause, Duration.between(clock.instant(), answerAt));
    record(order, call, answer.status(), receivedAt, clock);
    send(exchange, answer);
  }

  /**
   * Ends the connection without an HTTP response. A malformed status line goes out before the
   * close: when a reused connection closes before a single byte arrives, the JDK client takes it
   * for a stale pooled connection and silently resends a GET, so the caller would never see the
   * fault.
   */
  private static void drop(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    try {
      exchange.sendResponseHeaders(0, -1);
    } catch (IllegalArgumentException e) {
      throw new IOException("connection dropped on purpose", e);
    } finally {
      exchange.close();
    }
  }

  private static Answer answer(Services services, Call call) {
    if (call.path().equals(ServiceNowApi.TOKEN_PATH) && call.method().equals("POST")) {
      return services.serviceNow().token(call);
    }
    if (ServiceNowApi.GROUP_MEMBERS.matcher(call.path()).matches()) {
      return services.serviceNow().groupMembers(call);
    }
    Matcher table = ServiceNowApi.TABLE.matcher(call.path());
    if (table.matches()) {
      return services.serviceNow().table(call, table);
    }
    try {
      String authorization = call.header("Authorization");
      if (authorization == null
          || !authorization.startsWith("Bearer ")
          || authorization.substring(7).isBlank()) {
        throw new ApiError(
            401,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing or is not a bearer token.");
      }
      Matcher m = GraphApi.PATH.matcher(call.path());
      if (m.matches() && GraphSecurityApi.serves(m.group(1))) {
        return services.graphSecurity().handle(call, m.group(1));
      }
      if (m.matches()) {
        return services.graph().handle(call, m.group(1));
      }
      if (DefenderEndpointApi.PATH.matcher(call.path()).matches()) {
        return services.defenderForEndpoint().handle(call);
      }
      return arm(services, call);
    } catch (ApiError e) {
      return error(e.status(), e.code(), e.getMessage(), Map.of());
    }
  }

  /** The Azure Resource Manager routes, behind ARM's throttling when it is on. */
  private static Answer arm(Services services, Call call) {
    Store.Verdict verdict = null;
    if (isArm(call.path())) {
      synchronized (services.store()) {
        verdict = services.store().armThrottling.take(isArmRead(call));
      }
    }
    if (verdict == null) {
      return armRoute(services, call);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(verdict.header(), Long.toString(verdict.remaining()));
    if (verdict.refused()) {
      headers.put("Retry-After", Long.toString(verdict.retryAfterSeconds()));
      return error(
          429,
          "TooManyRequests",
          "The request is throttled: the subscription's "
              + (verdict.header().endsWith("reads") ? "read" : "write")
              + " limit is reached. Retry after "
              + verdict.retryAfterSeconds()
              + " seconds.",
          headers);
    }
    Answer answer;
    try {
      answer = armRoute(services, call);
    } catch (ApiError e) {
      answer = error(e.status(), e.code(), e.getMessage(), Map.of());
    }
    headers.putAll(answer.headers());
    return new Answer(answer.status(), headers, answer.body());
  }

  private static boolean isArm(String path) {
    return SentinelApi.PATH.matcher(path).matches()
        || SecurityApi.ALERT.matcher(path).matches()
        || SecurityApi.LIST.matcher(path).matches()
        || NetworkApi.PATH.matcher(path).matches()
        || ResourceGraphApi.PATH.matcher(path).matches()
        || SuppressionRulesApi.PATH.matcher(path).matches();
  }

  /** ARM counts Sentinel's alert and entity listings and Resource Graph queries as reads. */
  private static boolean isArmRead(Call call) {
    if (call.method().equals("GET") || call.method().equals("HEAD")) {
      return true;
    }
    if (!call.method().equals("POST")) {
      return false;
    }
    if (ResourceGraphApi.PATH.matcher(call.path()).matches()) {
      return true;
    }
    Matcher sentinelPath = SentinelApi.PATH.matcher(call.path());
    return sentinelPath.matches()
        && sentinelPath.group(4) == null
        && ("alerts".equalsIgnoreCase(sentinelPath.group(3))
            || "entities".equalsIgnoreCase(sentinelPath.group(3)));
  }

  private static Answer armRoute(Services services, Call call) {
    Matcher m = SentinelApi.PATH.matcher(call.path());
    if (m.matches()) {
      apiVersion(call, SentinelApi.API_VERSIONS);
      return services.sentinel().handle(call, m);
    }
    m = SuppressionRulesApi.PATH.matcher(call.path());
    if (m.matches()) {
      apiVersion(call, SuppressionRulesApi.API_VERSIONS);
      return services.suppressionRules().handle(call, m);
    }
    m = SecurityApi.ALERT.matcher(call.path());
    if (m.matches()) {
      apiVersion(call, SecurityApi.API_VERSIONS);
      return services.security().alert(call, m);
    }
    m = SecurityApi.LIST.matcher(call.path());
    if (m.matches()) {
      apiVersion(call, SecurityApi.API_VERSIONS);
      return services.security().list(call, m);
    }
    if (NetworkApi.PATH.matcher(call.path()).matches()) {
      apiVersion(call, NetworkApi.API_VERSIONS);
      return services.network().handle(call);
    }
    if (ResourceGraphApi.PATH.matcher(call.path()).matches()) {
      apiVersion(call, ResourceGraphApi.API_VERSIONS);
      return services.resourceGraph().handle(call);
    }
    throw new ApiError(404, "NotFound", "No route for " + call.method() + " " + call.path() + ".");
  }

  private static void apiVersion(Call call, Set<String> supported) {
    String version = call.query().get("api-version");
    if (version == null) {
      throw new ApiError(
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!supported.contains(version)) {
      throw new ApiError(
          400,
          "InvalidApiVersionParameter",
          "The api-version '"
              + version
              + "' is invalid. The supported versions are '"
              + String.join(",", supported.stream().sorted().toList())
              + "'.");
    }
  }

  /** The answer with one header or body field replaced, when the fault is a tampering. */
  private static Answer tamper(Fault fault, Answer answer) {
    if (fault instanceof Fault.TamperHeader header) {
      Map<String, String> headers = new LinkedHashMap<>(answer.headers());
      headers.keySet().removeIf(name -> name.equalsIgnoreCase(header.name()));
      headers.put(header.name(), header.value());
      return new Answer(answer.status(), headers, answer.body());
    }
    if (fault instanceof Fault.TamperField field && answer.body() instanceof ObjectNode body) {
      ObjectNode tampered = body.deepCopy();
      ObjectNode target = tampered;
      String name = field.name();
      int cut = name.lastIndexOf('/');
      if (name.startsWith("/") && tampered.at(name.substring(0, cut)) instanceof ObjectNode inner) {
        target = inner;
        name = name.substring(cut + 1);
      }
      target.put(name, field.value());
      return new Answer(answer.status(), answer.headers(), tampered);
    }
    return answer;
  }

  private static Answer faultAnswer(Fault.Status fault) {
    String code =
        switch (fault.status()) {
          case 429 -> "TooManyRequests";
          case 503 -> "ServiceUnavailable";
          case 412 -> "PreconditionFailed";
          default -> fault.status() >= 500 ? "InternalServerError" : "BadRequest";
        };
    Map<String, String> headers =
        fault.retryAfterSeconds() == null
            ? Map.of()
            : Map.of("Retry-After", fault.retryAfterSeconds().toString());
    return error(fault.status(), code, "Injected fault.", headers);
  }

  private static Answer error(
      int status, String code, String message, Map<String, String> headers) {
    ObjectNode body = Scenario.MAPPER.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return new Answer(status, headers, body);
  }

  private void record(long order, Call call, int status, Instant receivedAt, Clock clock) {
    RecordedRequest request =
        new RecordedRequest(
            call.method(),
            call.path(),
            call.query(),
            call.headers(),
            call.body(),
            status,
            receivedAt,
            clock.instant());
    synchronized (requests) {
      requests.add(new Entry(order, request));
      requests.notifyAll();
    }
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (answer.body() == null) {
      exchange.sendResponseHeaders(answer.status(), -1);
      exchange.close();
      return;
    }
    byte[] bytes = Scenario.MAPPER.writeValueAsBytes(answer.body());
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value =
          equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      query.put(name, value);
    }
    return query;
  }

  /** Waits {@code duration} out, when there is any left (work may outlast a latency). */
  private static void waitOut(Consumer<Duration> pause, Duration duration) {
    if (!duration.isZero() && !duration.isNegative()) {
      pause.accept(duration);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
