package org.sentinelplaybooks.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The settings the service clients read: the cloud, the service roots, storage and how to reach
 * ServiceNow. The playbooks' own settings are read beside these from the same environment ({@code
 * PlaybookSettings} in the playbooks module), through one {@link SettingsReader}, so that every
 * missing or malformed setting of either is reported at once, each by name, with what is expected.
 */
public record Settings(
    AzureEnvironment cloud,
    URI armEndpoint,
    URI graphEndpoint,
    URI mdeEndpoint,
    StorageSettings storage,
    ServiceNowSettings serviceNow) {

  public static final String AZURE_CLOUD = "AZURE_CLOUD";
  public static final String AZURE_ARM_ENDPOINT = "AZURE_ARM_ENDPOINT";
  public static final String AZURE_GRAPH_ENDPOINT = "AZURE_GRAPH_ENDPOINT";
  public static final String MDE_API_ENDPOINT = "MDE_API_ENDPOINT";
  public static final String AZURE_WEBJOBS_STORAGE = "AzureWebJobsStorage";
  public static final String AZURE_WEBJOBS_STORAGE_ACCOUNT = "AzureWebJobsStorage__accountName";
  public static final String SERVICENOW_INSTANCE_URL = "SERVICENOW_INSTANCE_URL";
  public static final String SERVICENOW_USERNAME = "SERVICENOW_USERNAME";
  public static final String SERVICENOW_PASSWORD = "SERVICENOW_PASSWORD";
  public static final String SERVICENOW_CLIENT_ID = "SERVICENOW_CLIENT_ID";
  public static final String SERVICENOW_CLIENT_SECRET = "SERVICENOW_CLIENT_SECRET";

  /** The names of the settings read here, for documentation and template checks. */
  public static final List<String> NAMES =
      List.of(
          AZURE_CLOUD,
          AZURE_ARM_ENDPOINT,
          AZURE_GRAPH_ENDPOINT,
          MDE_API_ENDPOINT,
          AZURE_WEBJOBS_STORAGE,
          AZURE_WEBJOBS_STORAGE_ACCOUNT,
          SERVICENOW_INSTANCE_URL,
          SERVICENOW_USERNAME,
          SERVICENOW_PASSWORD,
          SERVICENOW_CLIENT_ID,
          SERVICENOW_CLIENT_SECRET);

  /** The client settings alone; {@link SettingsException} names every problem. */
  public static Settings from(Map<String, String> values) {
    SettingsReader reader = new SettingsReader(values);
    Settings settings = read(reader);
    reader.check();
    return settings;
  }

  /**
   * The client settings, each problem recorded on the reader (a setting in error is left null or at
   * its default); the caller checks the reader once it has read its own settings too.
   */
  public static Settings read(SettingsReader values) {
    AzureEnvironment cloud = AzureEnvironment.AZURE_CLOUD;
    String cloudValue = values.text(AZURE_CLOUD);
    if (cloudValue != null) {
      try {
        cloud = AzureEnvironment.fromSetting(cloudValue);
      } catch (IllegalArgumentException e) {
        values.problem(AZURE_CLOUD + ": " + e.getMessage());
      }
    }
    URI arm = endpoint(values, AZURE_ARM_ENDPOINT, cloud, cloud.armEndpoint(), cloud::isArmHost);
    URI graph =
        endpoint(values, AZURE_GRAPH_ENDPOINT, cloud, cloud.graphEndpoint(), cloud::isGraphHost);
    URI mde = endpoint(values, MDE_API_ENDPOINT, cloud, cloud.mdeEndpoint(), cloud::isMdeHost);
    if (cloud.isLocal() && arm == null && values.text(AZURE_ARM_ENDPOINT) == null) {
      values.problem(
          AZURE_ARM_ENDPOINT
              + ": required when "
              + AZURE_CLOUD
              + "=Local (the emulator's root, e.g. http://127.0.0.1:8480)");
    }
    String connection = values.text(AZURE_WEBJOBS_STORAGE);
    StorageSettings storage =
        new StorageSettings(
            connection == null ? null : new Secret(connection),
            values.text(AZURE_WEBJOBS_STORAGE_ACCOUNT));
    return new Settings(cloud, arm, graph, mde, storage, serviceNow(values, cloud));
  }

  /** ServiceNow, or null when {@code SERVICENOW_INSTANCE_URL} is not set. */
  private static ServiceNowSettings serviceNow(SettingsReader values, AzureEnvironment cloud) {
    if (values.text(SERVICENOW_INSTANCE_URL) == null) {
      return null;
    }
    URI instance = endpoint(values, SERVICENOW_INSTANCE_URL, cloud, null, host -> true);
    String username = values.text(SERVICENOW_USERNAME);
    String password = values.text(SERVICENOW_PASSWORD);
    String clientId = values.text(SERVICENOW_CLIENT_ID);
    String clientSecret = values.text(SERVICENOW_CLIENT_SECRET);
    if (clientId != null && clientSecret == null) {
      values.problem(
          SERVICENOW_CLIENT_SECRET
              + ": required with "
              + SERVICENOW_CLIENT_ID
              + " (OAuth client credentials)");
    }
    if (clientId == null && (username == null || password == null)) {
      values.problem(
          SERVICENOW_USERNAME
              + " and "
              + SERVICENOW_PASSWORD
              + ": required with "
              + SERVICENOW_INSTANCE_URL
              + " (or "
              + SERVICENOW_CLIENT_ID
              + " and "
              + SERVICENOW_CLIENT_SECRET
              + " for OAuth)");
    }
    return new ServiceNowSettings(
        instance,
        username,
        password == null ? null : new Secret(password),
        clientId,
        clientSecret == null ? null : new Secret(clientSecret));
  }

  private static URI endpoint(
      SettingsReader values,
      String name,
      AzureEnvironment cloud,
      String cloudDefault,
      Predicate<String> cloudHost) {
    String value = values.text(name);
    if (value == null) {
      return cloudDefault == null ? null : URI.create(cloudDefault);
    }
    if (value.indexOf('@') >= 0) {
      // A service root never needs one; user:password@ would carry a credential into every
      // message, result and comment that names the URL. The value is not repeated here.
      values.problem(
          name
              + ": carries user info (user@ or user:password@); give the service root only and"
              + " put credentials in their own settings");
      return null;
    }
    URI uri;
    try {
      uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (URISyntaxException e) {
      values.problem(name + ": '" + value + "' is not a URL");
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      values.problem(name + ": '" + value + "' is not an http(s) URL with a host");
      return null;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // A query may carry a key or signature: the value is not repeated here.
      values.problem(name + ": has a query or fragment; give the service root only");
      return null;
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty()) {
      values.problem(
          name
              + ": '"
              + value
              + "' has a path; give the service root only, e.g. https://management.azure.com");
      return null;
    }
    if (cloud.isLocal() && !Loopback.isLoopback(uri)) {
      values.problem(
          name
              + ": '"
              + value
              + "' is not a loopback address; with "
              + AZURE_CLOUD
              + "=Local every endpoint must be http(s)://127.0.0.1:PORT");
      return null;
    }
    if (!cloud.isLocal() && !scheme.equals("https")) {
      values.problem(name + ": '" + value + "' must use https outside " + AZURE_CLOUD + "=Local");
      return null;
    }
    if (!cloud.isLocal() && !cloudHost.test(uri.getHost())) {
      // The cloud's tokens go to this host: only the cloud's own service may have them.
      values.problem(
          name
              + ": "
              + uri.getHost()
              + " is not a host of this service in "
              + AZURE_CLOUD
              + "="
              + cloud.settingValue());
      return null;
    }
    return uri;
  }
}
