package org.sentinelplaybooks.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.sentinelplaybooks.clients.network.Cidr;
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
    StorageSettings storage,
    ServiceNowSettings serviceNow,
    IdentitySettings identity,
    BlockSettings block,
    ReconcileSettings reconcile,
    SuppressionSettings suppression,
    boolean defenderXdrSync) {

  public static final String AZURE_CLOUD = "AZURE_CLOUD";
  public static final String AZURE_ARM_ENDPOINT = "AZURE_ARM_ENDPOINT";
  public static final String AZURE_GRAPH_ENDPOINT = "AZURE_GRAPH_ENDPOINT";
  public static final String MDE_API_ENDPOINT = "MDE_API_ENDPOINT";
  public static final String SENTINEL_WORKSPACES = "SENTINEL_WORKSPACES";
  public static final String DRY_RUN = "DRY_RUN";
  public static final String AZURE_WEBJOBS_STORAGE = "AzureWebJobsStorage";
  public static final String AZURE_WEBJOBS_STORAGE_ACCOUNT = "AzureWebJobsStorage__accountName";
  public static final String SERVICENOW_INSTANCE_URL = "SERVICENOW_INSTANCE_URL";
  public static final String SERVICENOW_USERNAME = "SERVICENOW_USERNAME";
  public static final String SERVICENOW_PASSWORD = "SERVICENOW_PASSWORD";
  public static final String SERVICENOW_CLIENT_ID = "SERVICENOW_CLIENT_ID";
  public static final String SERVICENOW_CLIENT_SECRET = "SERVICENOW_CLIENT_SECRET";
  public static final String SERVICENOW_CALLER_ID = "SERVICENOW_CALLER_ID";
  public static final String SERVICENOW_ASSIGNMENT_GROUP = "SERVICENOW_ASSIGNMENT_GROUP";
  public static final String SERVICENOW_CATEGORY = "SERVICENOW_CATEGORY";
  public static final String SERVICENOW_CLOSE_CODE = "SERVICENOW_CLOSE_CODE";
  public static final String PROTECTED_USERS = "PROTECTED_USERS";
  public static final String PROTECTED_GROUPS = "PROTECTED_GROUPS";
  public static final String PROTECTED_ROLES = "PROTECTED_ROLES";
  public static final String IDENTITY_ACTIONS = "IDENTITY_ACTIONS";
  public static final String IDENTITY_MAX_USERS = "IDENTITY_MAX_USERS";
  public static final String BLOCK_NSG_IDS = "BLOCK_NSG_IDS";
  public static final String BLOCK_NSG_RULE_PRIORITY = "BLOCK_NSG_RULE_PRIORITY";
  public static final String BLOCK_IP_GROUP_IDS = "BLOCK_IP_GROUP_IDS";
  public static final String BLOCK_NAMED_LOCATION_ID = "BLOCK_NAMED_LOCATION_ID";
  public static final String BLOCK_MDE = "BLOCK_MDE";
  public static final String BLOCK_TTL = "BLOCK_TTL";
  public static final String BLOCK_MAX_TTL = "BLOCK_MAX_TTL";
  public static final String BLOCK_NEVER = "BLOCK_NEVER";
  public static final String BLOCK_MAX_ADDRESSES = "BLOCK_MAX_ADDRESSES";
  public static final String RECONCILE_RULES = "RECONCILE_RULES";
  public static final String RECONCILE_OVERLAP = "RECONCILE_OVERLAP";
  public static final String RECONCILE_FULL_SWEEP = "RECONCILE_FULL_SWEEP";
  public static final String DEFENDER_XDR_SYNC = "DEFENDER_XDR_SYNC";
  public static final String SERVICENOW_TRUSTED_GROUPS = "SERVICENOW_TRUSTED_GROUPS";
  public static final String SUPPRESSION_TTL = "SUPPRESSION_TTL";
  public static final String SUPPRESSION_MAX_TTL = "SUPPRESSION_MAX_TTL";

  /** The names of all settings read here, for documentation and template checks. */
  public static final List<String> NAMES =
      List.of(
          AZURE_CLOUD,
          AZURE_ARM_ENDPOINT,
          AZURE_GRAPH_ENDPOINT,
          MDE_API_ENDPOINT,
          SENTINEL_WORKSPACES,
          DRY_RUN,
          AZURE_WEBJOBS_STORAGE,
          AZURE_WEBJOBS_STORAGE_ACCOUNT,
          SERVICENOW_INSTANCE_URL,
          SERVICENOW_USERNAME,
          SERVICENOW_PASSWORD,
          SERVICENOW_CLIENT_ID,
          SERVICENOW_CLIENT_SECRET,
          SERVICENOW_CALLER_ID,
          SERVICENOW_ASSIGNMENT_GROUP,
          SERVICENOW_CATEGORY,
          SERVICENOW_CLOSE_CODE,
          PROTECTED_USERS,
          PROTECTED_GROUPS,
          PROTECTED_ROLES,
          IDENTITY_ACTIONS,
          IDENTITY_MAX_USERS,
          BLOCK_NSG_IDS,
          BLOCK_NSG_RULE_PRIORITY,
          BLOCK_IP_GROUP_IDS,
          BLOCK_NAMED_LOCATION_ID,
          BLOCK_MDE,
          BLOCK_TTL,
          BLOCK_MAX_TTL,
          BLOCK_NEVER,
          BLOCK_MAX_ADDRESSES,
          RECONCILE_RULES,
          RECONCILE_OVERLAP,
          RECONCILE_FULL_SWEEP,
          SERVICENOW_TRUSTED_GROUPS,
          SUPPRESSION_TTL,
          SUPPRESSION_MAX_TTL,
          DEFENDER_XDR_SYNC);

  public Settings {
    workspaces = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(workspaces));
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
    URI arm =
        endpoint(
            values, AZURE_ARM_ENDPOINT, cloud, cloud.armEndpoint(), cloud::isArmHost, problems);
    URI graph =
        endpoint(
            values,
            AZURE_GRAPH_ENDPOINT,
            cloud,
            cloud.graphEndpoint(),
            cloud::isGraphHost,
            problems);
    URI mde =
        endpoint(values, MDE_API_ENDPOINT, cloud, cloud.mdeEndpoint(), cloud::isMdeHost, problems);
    if (cloud.isLocal() && arm == null && value(values, AZURE_ARM_ENDPOINT) == null) {
      problems.add(
          AZURE_ARM_ENDPOINT
              + ": required when "
              + AZURE_CLOUD
              + "=Local (the emulator's root, e.g. http://127.0.0.1:8480)");
    }
    Set<WorkspaceId> workspaces = workspaces(value(values, SENTINEL_WORKSPACES), problems);
    boolean dryRun = bool(values, DRY_RUN, false, problems);
    String connection = value(values, AZURE_WEBJOBS_STORAGE);
    StorageSettings storage =
        new StorageSettings(
            connection == null ? null : new Secret(connection),
            value(values, AZURE_WEBJOBS_STORAGE_ACCOUNT));
    ServiceNowSettings serviceNow = serviceNow(values, cloud, problems);
    IdentitySettings identity = identity(values, problems);
    BlockSettings block = block(values, problems);
    ReconcileSettings reconcile = reconcile(values, problems);
    SuppressionSettings suppression = suppression(values, problems);
    // On by default wherever Graph is reached; off without Graph, where it could do nothing.
    boolean defenderXdrSync = bool(values, DEFENDER_XDR_SYNC, graph != null, problems);
    if (defenderXdrSync && graph == null) {
      problems.add(
          DEFENDER_XDR_SYNC + ": true needs Microsoft Graph (" + AZURE_GRAPH_ENDPOINT + ")");
    }
    if (!problems.isEmpty()) {
      throw new SettingsException(problems);
    }
    return new Settings(
        cloud,
        arm,
        graph,
        mde,
        workspaces,
        dryRun,
        storage,
        serviceNow,
        identity,
        block,
        reconcile,
        suppression,
        defenderXdrSync);
  }

  /** ServiceNow, or null when {@code SERVICENOW_INSTANCE_URL} is not set. */
  private static ServiceNowSettings serviceNow(
      Map<String, String> values, AzureEnvironment cloud, List<String> problems) {
    if (value(values, SERVICENOW_INSTANCE_URL) == null) {
      return null;
    }
    URI instance = endpoint(values, SERVICENOW_INSTANCE_URL, cloud, null, host -> true, problems);
    String username = value(values, SERVICENOW_USERNAME);
    String password = value(values, SERVICENOW_PASSWORD);
    String clientId = value(values, SERVICENOW_CLIENT_ID);
    String clientSecret = value(values, SERVICENOW_CLIENT_SECRET);
    if (clientId != null && clientSecret == null) {
      problems.add(
          SERVICENOW_CLIENT_SECRET
              + ": required with "
              + SERVICENOW_CLIENT_ID
              + " (OAuth client credentials)");
    }
    if (clientId == null && (username == null || password == null)) {
      problems.add(
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
    String closeCode = value(values, SERVICENOW_CLOSE_CODE);
    return new ServiceNowSettings(
        instance,
        username,
        password == null ? null : new Secret(password),
        clientId,
        clientSecret == null ? null : new Secret(clientSecret),
        value(values, SERVICENOW_CALLER_ID),
        value(values, SERVICENOW_ASSIGNMENT_GROUP),
        value(values, SERVICENOW_CATEGORY),
        closeCode == null ? ServiceNowSettings.DEFAULT_CLOSE_CODE : closeCode);
  }

  private static final java.util.regex.Pattern GUID =
      java.util.regex.Pattern.compile(
          "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static IdentitySettings identity(Map<String, String> values, List<String> problems) {
    Set<String> users = new LinkedHashSet<>(list(value(values, PROTECTED_USERS)));
    Set<String> groups = new LinkedHashSet<>();
    for (String group : list(value(values, PROTECTED_GROUPS))) {
      if (GUID.matcher(group).matches()) {
        groups.add(group.toLowerCase(Locale.ROOT));
      } else {
        problems.add(PROTECTED_GROUPS + ": '" + group + "' is not a group object id (a GUID)");
      }
    }
    String actionsValue = value(values, IDENTITY_ACTIONS);
    List<String> actions =
        actionsValue == null
            ? IdentitySettings.ACTIONS
            : list(actionsValue.toLowerCase(Locale.ROOT));
    for (String action : actions) {
      if (!IdentitySettings.ACTIONS.contains(action)) {
        problems.add(
            IDENTITY_ACTIONS
                + ": '"
                + action
                + "' is not one of "
                + String.join(", ", IdentitySettings.ACTIONS));
      }
    }
    return new IdentitySettings(
        users, groups, protectedRoles(values, problems), actions, maxUsers(values, problems));
  }

  /**
   * Role template ids; the word {@code privileged} (the default) stands for the roles Microsoft
   * labels privileged.
   */
  private static Map<String, String> protectedRoles(
      Map<String, String> values, List<String> problems) {
    String value = value(values, PROTECTED_ROLES);
    Map<String, String> roles = new java.util.LinkedHashMap<>();
    for (String role : list(value == null ? IdentitySettings.PRIVILEGED : value)) {
      if (role.equalsIgnoreCase(IdentitySettings.PRIVILEGED)) {
        roles.putAll(IdentitySettings.PRIVILEGED_ROLES);
      } else if (GUID.matcher(role).matches()) {
        String id = role.toLowerCase(Locale.ROOT);
        roles.putIfAbsent(id, IdentitySettings.PRIVILEGED_ROLES.getOrDefault(id, "role " + id));
      } else {
        problems.add(
            PROTECTED_ROLES
                + ": '"
                + role
                + "' is neither a role template id (a GUID) nor "
                + IdentitySettings.PRIVILEGED);
      }
    }
    return roles;
  }

  private static int maxUsers(Map<String, String> values, List<String> problems) {
    String value = value(values, IDENTITY_MAX_USERS);
    if (value == null) {
      return IdentitySettings.DEFAULT_MAX_USERS;
    }
    if (value.matches("\\d{1,3}")
        && Integer.parseInt(value) >= 1
        && Integer.parseInt(value) <= IdentitySettings.MAX_MAX_USERS) {
      return Integer.parseInt(value);
    }
    problems.add(
        IDENTITY_MAX_USERS
            + ": '"
            + value
            + "' is not a number of users from 1 to "
            + IdentitySettings.MAX_MAX_USERS);
    return IdentitySettings.DEFAULT_MAX_USERS;
  }

  private static final java.util.regex.Pattern NSG_ID =
      java.util.regex.Pattern.compile(
          "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/networkSecurityGroups/[^/]+");
  private static final java.util.regex.Pattern IP_GROUP_ID =
      java.util.regex.Pattern.compile(
          "(?i)/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/ipGroups/[^/]+");

  private static BlockSettings block(Map<String, String> values, List<String> problems) {
    List<String> nsgIds = armIds(values, BLOCK_NSG_IDS, NSG_ID, "an NSG", problems);
    List<String> ipGroupIds =
        armIds(values, BLOCK_IP_GROUP_IDS, IP_GROUP_ID, "an IP Group", problems);
    String namedLocation = value(values, BLOCK_NAMED_LOCATION_ID);
    if (namedLocation != null && !GUID.matcher(namedLocation).matches()) {
      problems.add(
          BLOCK_NAMED_LOCATION_ID
              + ": '"
              + namedLocation
              + "' is not a named location id (a GUID)");
      namedLocation = null;
    }
    int priority = BlockSettings.DEFAULT_NSG_RULE_PRIORITY;
    String priorityValue = value(values, BLOCK_NSG_RULE_PRIORITY);
    if (priorityValue != null) {
      if (priorityValue.matches("\\d{3,4}")
          && Integer.parseInt(priorityValue) >= 100
          && Integer.parseInt(priorityValue) <= 4096) {
        priority = Integer.parseInt(priorityValue);
      } else {
        problems.add(
            BLOCK_NSG_RULE_PRIORITY
                + ": '"
                + priorityValue
                + "' is not a priority from 100 to 4096");
      }
    }
    Duration ttl = duration(values, BLOCK_TTL, BlockSettings.DEFAULT_TTL, problems);
    Duration maxTtl = duration(values, BLOCK_MAX_TTL, BlockSettings.DEFAULT_MAX_TTL, problems);
    if (ttl.compareTo(maxTtl) > 0) {
      problems.add(
          BLOCK_TTL + ": " + ttl + " is longer than " + BLOCK_MAX_TTL + " (" + maxTtl + ")");
    }
    List<Cidr> never = new ArrayList<>();
    for (String item : list(value(values, BLOCK_NEVER))) {
      try {
        never.add(Cidr.parse(item));
      } catch (IllegalArgumentException e) {
        problems.add(BLOCK_NEVER + ": " + e.getMessage());
      }
    }
    int maxAddresses = BlockSettings.DEFAULT_MAX_ADDRESSES;
    String maxAddressesValue = value(values, BLOCK_MAX_ADDRESSES);
    if (maxAddressesValue != null) {
      if (maxAddressesValue.matches("\\d{1,3}")
          && Integer.parseInt(maxAddressesValue) >= 1
          && Integer.parseInt(maxAddressesValue) <= BlockSettings.MOST_ADDRESSES) {
        maxAddresses = Integer.parseInt(maxAddressesValue);
      } else {
        problems.add(
            BLOCK_MAX_ADDRESSES
                + ": '"
                + maxAddressesValue
                + "' is not a number of addresses from 1 to "
                + BlockSettings.MOST_ADDRESSES);
      }
    }
    return new BlockSettings(
        nsgIds,
        priority,
        ipGroupIds,
        namedLocation,
        bool(values, BLOCK_MDE, false, problems),
        ttl,
        maxTtl,
        never,
        maxAddresses);
  }

  private static ReconcileSettings reconcile(Map<String, String> values, List<String> problems) {
    String rulesValue = value(values, RECONCILE_RULES);
    Set<String> rules = new LinkedHashSet<>();
    if (rulesValue == null) {
      rules.addAll(ReconcileSettings.DEFAULT_RULES);
    } else if (!rulesValue.equalsIgnoreCase("none")) {
      for (String rule : list(rulesValue.toLowerCase(Locale.ROOT))) {
        if (ReconcileSettings.RULES.contains(rule)) {
          rules.add(rule);
        } else {
          problems.add(
              RECONCILE_RULES
                  + ": '"
                  + rule
                  + "' is not one of "
                  + String.join(", ", ReconcileSettings.RULES)
                  + " (or none)");
        }
      }
    }
    Duration fullSweep =
        duration(values, RECONCILE_FULL_SWEEP, ReconcileSettings.DEFAULT_FULL_SWEEP, problems);
    if (fullSweep.compareTo(ReconcileSettings.MIN_FULL_SWEEP) < 0
        || fullSweep.compareTo(ReconcileSettings.MAX_FULL_SWEEP) > 0) {
      problems.add(
          RECONCILE_FULL_SWEEP
              + ": "
              + fullSweep
              + " is not from "
              + ReconcileSettings.MIN_FULL_SWEEP
              + " to "
              + ReconcileSettings.MAX_FULL_SWEEP);
    }
    Set<String> trusted = new LinkedHashSet<>();
    for (String group : list(value(values, SERVICENOW_TRUSTED_GROUPS))) {
      if (group.matches("(?i)[0-9a-f]{32}")) {
        trusted.add(group.toLowerCase(Locale.ROOT));
      } else {
        problems.add(
            SERVICENOW_TRUSTED_GROUPS
                + ": '"
                + group
                + "' is not a ServiceNow group sys_id (32 hexadecimal digits)");
      }
    }
    if (trusted.size() > ReconcileSettings.MOST_TRUSTED_GROUPS) {
      problems.add(
          SERVICENOW_TRUSTED_GROUPS
              + ": "
              + trusted.size()
              + " groups, more than "
              + ReconcileSettings.MOST_TRUSTED_GROUPS
              + " (each resolver's membership is asked of them all in one query)");
    }
    return new ReconcileSettings(
        rules,
        duration(values, RECONCILE_OVERLAP, ReconcileSettings.DEFAULT_OVERLAP, problems),
        fullSweep,
        trusted);
  }

  private static SuppressionSettings suppression(
      Map<String, String> values, List<String> problems) {
    Duration ttl = duration(values, SUPPRESSION_TTL, SuppressionSettings.DEFAULT_TTL, problems);
    Duration maxTtl =
        duration(values, SUPPRESSION_MAX_TTL, SuppressionSettings.DEFAULT_MAX_TTL, problems);
    if (ttl.compareTo(maxTtl) > 0) {
      problems.add(
          SUPPRESSION_TTL
              + ": "
              + ttl
              + " is longer than "
              + SUPPRESSION_MAX_TTL
              + " ("
              + maxTtl
              + ")");
    }
    return new SuppressionSettings(ttl, maxTtl);
  }

  private static List<String> armIds(
      Map<String, String> values,
      String name,
      java.util.regex.Pattern type,
      String what,
      List<String> problems) {
    List<String> ids = new ArrayList<>();
    for (String id : list(value(values, name))) {
      String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
      if (type.matcher(trimmed).matches()) {
        ids.add(trimmed);
      } else {
        problems.add(name + ": '" + id + "' is not the ARM id of " + what);
      }
    }
    return ids;
  }

  private static Duration duration(
      Map<String, String> values, String name, Duration fallback, List<String> problems) {
    String value = value(values, name);
    if (value == null) {
      return fallback;
    }
    try {
      return positiveDuration(value);
    } catch (IllegalArgumentException e) {
      problems.add(name + ": " + e.getMessage());
      return fallback;
    }
  }

  /**
   * An ISO-8601 duration such as {@code P7D} or {@code PT12H}, longer than zero.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static Duration positiveDuration(String value) {
    Duration duration;
    try {
      duration = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not an ISO-8601 duration such as P7D or PT12H", e);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'" + value + "' is not longer than zero");
    }
    return duration;
  }

  private static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }

  /**
   * Whether the playbooks can keep records: storage is set ({@code AzureWebJobsStorage} or its
   * account name), or the cloud is Local, where the demo keeps them in memory. Against real Azure a
   * playbook whose records make expiry and {@code already} work must not run without them.
   */
  public boolean keepsRecords() {
    return cloud.isLocal() || storage.connectionString() != null || storage.accountName() != null;
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
      Predicate<String> cloudHost,
      List<String> problems) {
    String value = value(values, name);
    if (value == null) {
      return cloudDefault == null ? null : URI.create(cloudDefault);
    }
    if (value.indexOf('@') >= 0) {
      // A service root never needs one; user:password@ would carry a credential into every
      // message, result and comment that names the URL. The value is not repeated here.
      problems.add(
          name
              + ": carries user info (user@ or user:password@); give the service root only and"
              + " put credentials in their own settings");
      return null;
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
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // A query may carry a key or signature: the value is not repeated here.
      problems.add(name + ": has a query or fragment; give the service root only");
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
    if (!cloud.isLocal() && !cloudHost.test(uri.getHost())) {
      // The cloud's tokens go to this host: only the cloud's own service may have them.
      problems.add(
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
