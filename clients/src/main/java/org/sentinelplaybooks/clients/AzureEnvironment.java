package org.sentinelplaybooks.clients;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The clouds the playbooks run in: service roots, token scopes and the sign-in authority. */
public enum AzureEnvironment {
  AZURE_CLOUD(
      "AzureCloud",
      "https://management.azure.com",
      "https://graph.microsoft.com",
      "https://api.securitycenter.microsoft.com",
      "https://login.microsoftonline.com/",
      "core.windows.net"),
  AZURE_US_GOVERNMENT(
      "AzureUSGovernment",
      "https://management.usgovcloudapi.net",
      "https://graph.microsoft.us",
      "https://api-gov.securitycenter.microsoft.us",
      "https://login.microsoftonline.us/",
      "core.usgovcloudapi.net"),
  AZURE_CHINA_CLOUD(
      "AzureChinaCloud",
      "https://management.chinacloudapi.cn",
      "https://microsoftgraph.chinacloudapi.cn",
      null,
      "https://login.chinacloudapi.cn/",
      "core.chinacloudapi.cn"),
  /** Every endpoint on this machine (the emulator); a fixed development token, no sign-in. */
  LOCAL("Local", null, null, null, null, null);

  private final String settingValue;
  private final String armEndpoint;
  private final String graphEndpoint;
  private final String mdeEndpoint;
  private final String authorityHost;
  private final String storageSuffix;

  AzureEnvironment(
      String settingValue,
      String armEndpoint,
      String graphEndpoint,
      String mdeEndpoint,
      String authorityHost,
      String storageSuffix) {
    this.settingValue = settingValue;
    this.armEndpoint = armEndpoint;
    this.graphEndpoint = graphEndpoint;
    this.mdeEndpoint = mdeEndpoint;
    this.authorityHost = authorityHost;
    this.storageSuffix = storageSuffix;
  }

  /** Parses the {@code AZURE_CLOUD} value, case-insensitively. */
  public static AzureEnvironment fromSetting(String value) {
    for (AzureEnvironment environment : values()) {
      if (environment.settingValue.equalsIgnoreCase(value.trim())) {
        return environment;
      }
    }
    throw new IllegalArgumentException(
        "'" + value + "' is not a cloud; expected one of " + settingValues());
  }

  public static String settingValues() {
    return Arrays.stream(values()).map(e -> e.settingValue).collect(Collectors.joining(", "));
  }

  public String settingValue() {
    return settingValue;
  }

  public boolean isLocal() {
    return this == LOCAL;
  }

  /** The default ARM root, or null where the cloud has none (Local). */
  public String armEndpoint() {
    return armEndpoint;
  }

  public String graphEndpoint() {
    return graphEndpoint;
  }

  /** The Defender for Endpoint API root, or null where the service is not offered. */
  public String mdeEndpoint() {
    return mdeEndpoint;
  }

  public String authorityHost() {
    return authorityHost;
  }

  /** Whether {@code host} is this cloud's Resource Manager host (the one its tokens are for). */
  public boolean isArmHost(String host) {
    return armEndpoint != null && URI.create(armEndpoint).getHost().equalsIgnoreCase(host);
  }

  /**
   * Whether {@code host} is one of this cloud's Microsoft Graph hosts: US Government has two,
   * graph.microsoft.us (L4) and dod-graph.microsoft.us (L5) (Learn, "Microsoft Graph national cloud
   * deployments", learn.microsoft.com/graph/deployments).
   */
  public boolean isGraphHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return (graphEndpoint != null && URI.create(graphEndpoint).getHost().equals(h))
        || (this == AZURE_US_GOVERNMENT && h.equals("dod-graph.microsoft.us"));
  }

  /**
   * Whether {@code host} is a documented Defender for Endpoint API host of this cloud: commercial
   * api.security.microsoft.com and its regional {us,eu,uk,au,swa,ina}.api.security.microsoft.com
   * (Learn, "Supported Microsoft Defender for Endpoint APIs",
   * learn.microsoft.com/defender-endpoint/api/exposed-apis-list), the older
   * api(-us|-eu|-uk).securitycenter.microsoft.com, and the US Government hosts under
   * securitycenter.microsoft.us / security.microsoft.us, which GCC reaches as AzureCloud (see
   * {@link #mdeScope(AzureEnvironment, URI)}). None in a cloud without the service.
   */
  public boolean isMdeHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    boolean usGovernment =
        h.endsWith(US_GOVERNMENT_MDE_DOMAIN) || h.endsWith(".security.microsoft.us");
    boolean commercial =
        h.equals("api.security.microsoft.com")
            || h.endsWith(".api.security.microsoft.com")
            || h.endsWith(".securitycenter.microsoft.com");
    return switch (this) {
      case AZURE_CLOUD -> commercial || usGovernment;
      case AZURE_US_GOVERNMENT -> usGovernment;
      default -> false;
    };
  }

  /** The storage endpoint suffix, e.g. {@code core.windows.net}; null for Local. */
  public String storageSuffix() {
    return storageSuffix;
  }

  /** The token scope of Azure Resource Manager in this cloud; null for Local. */
  public String armScope() {
    return scopeOf(armEndpoint);
  }

  public String graphScope() {
    return scopeOf(graphEndpoint);
  }

  public String mdeScope() {
    return scopeOf(mdeEndpoint);
  }

  /**
   * The token scope for the Defender for Endpoint API at {@code endpoint}. The US Government hosts
   * each take their own audience: GCC {@code https://api-gcc.securitycenter.microsoft.us}, GCC High
   * and DoD {@code https://api-gov.securitycenter.microsoft.us} ("Microsoft Defender for Endpoint
   * for US Government customers", learn.microsoft.com/defender-endpoint/gov, API section). GCC
   * signs in at the commercial authority, so it runs as {@code AzureCloud} with {@code
   * MDE_API_ENDPOINT} set to its host, and must not get the commercial audience. Elsewhere the
   * cloud's audience holds also for a regional host (the API pages: "use
   * https://api.securitycenter.microsoft.com as the resource"); a cloud without one takes the
   * endpoint's own.
   */
  public static String mdeScope(AzureEnvironment cloud, URI endpoint) {
    String host = endpoint.getHost() == null ? "" : endpoint.getHost().toLowerCase(Locale.ROOT);
    if (host.endsWith(US_GOVERNMENT_MDE_DOMAIN)) {
      return scopeOf("https://" + host);
    }
    return cloud.mdeScope() != null
        ? cloud.mdeScope()
        : scopeOf(endpoint.toString().replaceAll("/+$", ""));
  }

  /** The domain of the Defender for Endpoint API hosts of GCC, GCC High and DoD. */
  private static final String US_GOVERNMENT_MDE_DOMAIN = ".securitycenter.microsoft.us";

  private static String scopeOf(String serviceRoot) {
    return serviceRoot == null ? null : serviceRoot.toLowerCase(Locale.ROOT) + "/.default";
  }
}
