package org.sentinelplaybooks.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;

/**
 * Every app setting the playbooks read, parsed once. {@link #from(Map)} reports every missing or
 * malformed setting at once, each by name, with what is expected.
 */
public record Settings(
    AzureEnvironment cloud,
    URI armEndpoint,
    URI graphEndpoint,
    URI mdeEndpoint,
    Set<WorkspaceId> workspaces,
    boolean dryRun,
    String storageConnection) {

  public static final String AZURE_CLOUD = "AZURE_CLOUD";
  public static final String AZURE_ARM_ENDPOINT = "AZURE_ARM_ENDPOINT";
  public static final String AZURE_GRAPH_ENDPOINT = "AZURE_GRAPH_ENDPOINT";
  public static final String MDE_API_ENDPOINT = "MDE_API_ENDPOINT";
  public static final String SENTINEL_WORKSPACES = "SENTINEL_WORKSPACES";
  public static final String DRY_RUN = "DRY_RUN";
  public static final String AZURE_WEBJOBS_STORAGE = "AzureWebJobsStorage";

  /** The names of all settings read here, for documentation and template checks. */
  public static final List<String> NAMES =
      List.of(
          AZURE_CLOUD,
          AZURE_ARM_ENDPOINT,
          AZURE_GRAPH_ENDPOINT,
          MDE_API_ENDPOINT,
          SENTINEL_WORKSPACES,
          DRY_RUN,
          AZURE_WEBJOBS_STORAGE);

  public Settings {
    workspaces = Set.copyOf(workspaces);
  }

  public static Settings fromEnvironment() {
    return from(System.getenv());
  }

  public static Settings from(Map<String, String> values) {
    List<String> problems = new ArrayList<>();
    AzureEnvironment cloud = AzureEnvironment.AZURE_CLOUD;
    String cloudValue = value(values, AZURE_CLOUD);
    if (cloudValue != null) {
      try {
        cloud = AzureEnvironment.fromSetting(cloudValue);
      } catch (IllegalArgumentException e) {
        problems.add(AZURE_CLOUD + ": " + e.getMessage());
      }
    }
    URI arm = endpoint(values, AZURE_ARM_ENDPOINT, cloud, cloud.armEndpoint(), problems);
    URI graph = endpoint(values, AZURE_GRAPH_ENDPOINT, cloud, cloud.graphEndpoint(), problems);
    URI mde = endpoint(values, MDE_API_ENDPOINT, cloud, cloud.mdeEndpoint(), problems);
    if (cloud.isLocal() && arm == null && value(values, AZURE_ARM_ENDPOINT) == null) {
      problems.add(
          AZURE_ARM_ENDPOINT
              + ": required when "
              + AZURE_CLOUD
              + "=Local (the emulator's root, e.g. http://127.0.0.1:8480)");
    }
    Set<WorkspaceId> workspaces = workspaces(value(values, SENTINEL_WORKSPACES), problems);
    boolean dryRun = bool(values, DRY_RUN, false, problems);
    String storage = value(values, AZURE_WEBJOBS_STORAGE);
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
    return new Settings(cloud, arm, graph, mde, workspaces, dryRun, storage);
  }

  /** True when the workspace is in {@code SENTINEL_WORKSPACES}. */
  public boolean allowsWorkspace(WorkspaceId workspace) {
    return workspaces.stream().anyMatch(allowed -> allowed.sameAs(workspace));
  }

  private static String value(Map<String, String> values, String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static URI endpoint(
      Map<String, String> values,
      String name,
      AzureEnvironment cloud,
      String cloudDefault,
      List<String> problems) {
    String value = value(values, name);
    if (value == null) {
      return cloudDefault == null ? null : URI.create(cloudDefault);
    }
    URI uri;
    try {
      uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (URISyntaxException e) {
      problems.add(name + ": '" + value + "' is not a URL");
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      problems.add(name + ": '" + value + "' is not an http(s) URL with a host");
      return null;
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty()) {
      problems.add(
          name
              + ": '"
              + value
              + "' has a path; give the service root only, e.g. https://management.azure.com");
      return null;
    }
    if (cloud.isLocal() && !Loopback.isLoopback(uri)) {
      problems.add(
          name
              + ": '"
              + value
              + "' is not a loopback address; with "
              + AZURE_CLOUD
              + "=Local every endpoint must be http(s)://127.0.0.1:PORT");
      return null;
    }
    if (!cloud.isLocal() && !scheme.equals("https")) {
      problems.add(name + ": '" + value + "' must use https outside " + AZURE_CLOUD + "=Local");
      return null;
    }
    return uri;
  }

  private static Set<WorkspaceId> workspaces(String value, List<String> problems) {
    Set<WorkspaceId> workspaces = new LinkedHashSet<>();
    if (value == null) {
      problems.add(
          SENTINEL_WORKSPACES
              + ": required, a comma-separated list of the workspace ARM ids the playbooks may act on");
      return workspaces;
    }
    for (String item : value.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      try {
        workspaces.add(WorkspaceId.parse(item));
      } catch (IllegalArgumentException e) {
        problems.add(SENTINEL_WORKSPACES + ": " + e.getMessage());
      }
    }
    if (workspaces.isEmpty()
        && problems.stream().noneMatch(p -> p.startsWith(SENTINEL_WORKSPACES))) {
      problems.add(SENTINEL_WORKSPACES + ": lists no workspace");
    }
    return workspaces;
  }

  private static boolean bool(
      Map<String, String> values, String name, boolean fallback, List<String> problems) {
    String value = value(values, name);
    if (value == null) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    problems.add(name + ": '" + value + "' is not true or false");
    return fallback;
  }
}
