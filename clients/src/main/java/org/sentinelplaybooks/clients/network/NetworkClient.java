package org.sentinelplaybooks.clients.network;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.Response;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.Context;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.IpGroupInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.resources.fluentcore.arm.ResourceId;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.ClientBuilder;
import org.sentinelplaybooks.clients.ClientOptions;
import org.sentinelplaybooks.clients.implementation.ResourceManagerSdk;
import org.sentinelplaybooks.clients.implementation.RestCaller;

/**
 * NSG security rules and Azure Firewall IP Groups over ARM (Microsoft.Network), through the GA
 * Resource Manager SDK's inner clients ({@code azure-resourcemanager-network}: one rule or one
 * group per write, never the whole NSG) on the shared pipeline. The SDK sends api-version {@value
 * #API_VERSION} (specification/network/resource-manager/Microsoft.Network/stable/2024-07-01/
 * networkSecurityGroup.json: NetworkSecurityGroups_Get, SecurityRules_CreateOrUpdate,
 * SecurityRules_Delete; .../2024-07-01/ipGroups.json: IpGroups_Get, IpGroups_CreateOrUpdate). Every
 * write is conditional on the etag read ({@code If-Match}), or on nothing being there ({@code
 * If-None-Match: *}) for a new rule, and is followed to the end of its long-running operation
 * ({@link NetworkOperations}). Every read is checked to be about the resource asked for.
 */
public final class NetworkClient {
  /** The api-version azure-resourcemanager-network 2.53.0 sends for these operations. */
  public static final String API_VERSION = "2024-07-01";

  private static final String SERVICE = "Azure Network";

  private final RestCaller rest;
  private final URI endpoint;
  private final HttpPipeline pipeline;
  private final NetworkOperations operations;

  /** The SDK binds a client to one subscription; the NSGs and groups may be in several. */
  private final Map<String, NetworkManagementClient> bySubscription = new ConcurrentHashMap<>();

  private NetworkClient(HttpPipeline shared, URI endpoint, ClientOptions options) {
    this.rest = new RestCaller(SERVICE, shared, endpoint);
    this.endpoint = endpoint;
    this.operations = new NetworkOperations(rest, options);
    this.pipeline = ResourceManagerSdk.pipeline(rest, operations.policy());
  }

  public static ClientBuilder<NetworkClient> builder() {
    return ClientBuilder.withOptions(NetworkClient::new);
  }

  public NetworkSecurityGroup getNetworkSecurityGroup(String nsgId) {
    NetworkSecurityGroupInner nsg =
        read(
            nsgId,
            (sdk, group, name) ->
                sdk.getNetworkSecurityGroups()
                    .getByResourceGroupWithResponse(group, name, null, Context.NONE));
    List<SecurityRule> rules = new ArrayList<>();
    if (nsg.securityRules() != null) {
      nsg.securityRules().forEach(rule -> rules.add(rule(rule)));
    }
    return new NetworkSecurityGroup(
        rest.checkedResourceId(nsg.id(), nsgId), nsg.location(), nsg.etag(), rules);
  }

  /**
   * Creates or replaces a deny rule (SecurityRules_CreateOrUpdate). With an etag the write only
   * lands if the rule is still as read; without one only if no rule of that name exists. Either way
   * a lost race is a 412 {@link ApiException} ({@link ApiException#isConflict()}).
   */
  public void putDenyRule(String nsgId, DenyRule rule, String etag) {
    ResourceId id = ResourceId.fromString(nsgId);
    SecurityRuleInner body =
        new SecurityRuleInner()
            .withDescription(rule.description())
            .withProtocol(SecurityRuleProtocol.ASTERISK)
            .withSourcePortRange("*")
            .withDestinationPortRange("*")
            .withDestinationAddressPrefix("*")
            .withAccess(SecurityRuleAccess.DENY)
            .withDirection(SecurityRuleDirection.INBOUND)
            .withPriority(rule.priority())
            .withSourceAddressPrefixes(rule.sourcePrefixes());
    write(
        id,
        etag == null ? Map.of("If-None-Match", "*") : Map.of("If-Match", etag),
        (sdk, context) ->
            sdk.getSecurityRules()
                .beginCreateOrUpdate(
                    id.resourceGroupName(), id.name(), rule.name(), body, context));
  }

  /** Deletes a rule if it is still as read (SecurityRules_Delete). */
  public void deleteSecurityRule(String nsgId, String ruleName, String etag) {
    ResourceId id = ResourceId.fromString(nsgId);
    write(
        id,
        Map.of("If-Match", etag),
        (sdk, context) ->
            sdk.getSecurityRules()
                .beginDelete(id.resourceGroupName(), id.name(), ruleName, context));
  }

  public IpGroup getIpGroup(String ipGroupId) {
    IpGroupInner group =
        read(
            ipGroupId,
            (sdk, resourceGroup, name) ->
                sdk.getIpGroups()
                    .getByResourceGroupWithResponse(resourceGroup, name, null, Context.NONE));
    return new IpGroup(
        rest.checkedResourceId(group.id(), ipGroupId),
        group.location(),
        group.tags(),
        group.etag(),
        group.ipAddresses() == null ? List.of() : group.ipAddresses());
  }

  /**
   * Writes the group's addresses, keeping its location and tags, if it is still as read
   * (IpGroups_CreateOrUpdate).
   */
  public void putIpGroupAddresses(IpGroup read, List<String> addresses) {
    ResourceId id = ResourceId.fromString(read.id());
    IpGroupInner body =
        new IpGroupInner().withIpAddresses(List.copyOf(addresses)).withLocation(read.location());
    if (read.tags() != null) {
      body.withTags(read.tags());
    }
    write(
        id,
        read.etag() == null ? Map.of() : Map.of("If-Match", read.etag()),
        (sdk, context) ->
            sdk.getIpGroups()
                .beginCreateOrUpdate(id.resourceGroupName(), id.name(), body, context));
  }

  /** A read of one resource by its resource group and name. */
  @FunctionalInterface
  private interface Read<T> {
    Response<T> get(NetworkManagementClient sdk, String resourceGroup, String name);
  }

  private <T> T read(String resourceId, Read<T> read) {
    ResourceId id = ResourceId.fromString(resourceId);
    return call(id, sdk -> read.get(sdk, id.resourceGroupName(), id.name()).getValue());
  }

  /** A write that starts a long-running operation. */
  @FunctionalInterface
  private interface Write<T> {
    SyncPoller<PollResult<T>, T> begin(NetworkManagementClient sdk, Context context);
  }

  /** Sends the write with these headers, then follows its operation to the end. */
  private <T> void write(ResourceId id, Map<String, String> headers, Write<T> write) {
    NetworkOperations.Trail trail = new NetworkOperations.Trail();
    Context context =
        NetworkOperations.context(trail, ResourceManagerSdk.withWriteHeaders(headers));
    SyncPoller<PollResult<T>, T> poller = call(id, sdk -> write.begin(sdk, context));
    operations.await(poller, trail);
  }

  private <T> T call(ResourceId id, Function<NetworkManagementClient, T> call) {
    NetworkManagementClient sdk = sdk(id.subscriptionId());
    return ResourceManagerSdk.call(SERVICE, () -> call.apply(sdk));
  }

  private NetworkManagementClient sdk(String subscriptionId) {
    return bySubscription.computeIfAbsent(
        subscriptionId.toLowerCase(Locale.ROOT),
        s ->
            NetworkManager.authenticate(
                    pipeline, ResourceManagerSdk.profile(endpoint, subscriptionId))
                .serviceClient());
  }

  private static SecurityRule rule(SecurityRuleInner rule) {
    List<String> prefixes = new ArrayList<>();
    if (rule.sourceAddressPrefixes() != null) {
      prefixes.addAll(rule.sourceAddressPrefixes());
    }
    if (prefixes.isEmpty() && rule.sourceAddressPrefix() != null) {
      prefixes.add(rule.sourceAddressPrefix());
    }
    return new SecurityRule(
        rule.name(),
        rule.etag(),
        rule.priority() == null ? 0 : rule.priority(),
        rule.direction() == null ? null : rule.direction().toString(),
        prefixes);
  }
}
