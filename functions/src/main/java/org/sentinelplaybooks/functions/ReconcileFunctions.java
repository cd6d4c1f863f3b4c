package org.sentinelplaybooks.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sentinelplaybooks.clients.Json;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileOptions;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileProgress;
import org.sentinelplaybooks.playbooks.reconcile.ReconcileReport;
import org.sentinelplaybooks.playbooks.reconcile.Reconciler;

/**
 * {@code reconcile} on the Functions engine: a timer puts one message per workspace on the {@code
 * reconcile-workspace} queue, and each message is reconciled by its own invocation, so the engine
 * scales the work out. Incidents that fail are kept in the checkpoint for the next run; a run that
 * gets nothing done throws: the queue tries the message again (the run is idempotent) and, after
 * {@code maxDequeueCount} tries (host.json), moves it to {@code reconcile-workspace-poison}.
 */
public final class ReconcileFunctions {
  static final String QUEUE = "reconcile-workspace";
  static final String SCHEDULE_SETTING = "RECONCILE_SCHEDULE";
  static final String STORAGE = "AzureWebJobsStorage";

  private final Playbooks playbooks;
  private final HttpPlaybookRunner http;

  public ReconcileFunctions(Playbooks playbooks) {
    this.playbooks = playbooks;
    this.http = new HttpPlaybookRunner(playbooks);
  }

  @FunctionName("reconcile-timer")
  public void schedule(
      @TimerTrigger(name = "timer", schedule = "%" + SCHEDULE_SETTING + "%") String timer,
      @QueueOutput(name = "messages", queueName = QUEUE, connection = STORAGE)
          OutputBinding<List<String>> messages,
      ExecutionContext context) {
    List<String> out = new ArrayList<>();
    for (WorkspaceId workspace : playbooks.settings().workspaces()) {
      out.add(Json.object().put("workspace", workspace.armId()).toString());
    }
    messages.setValue(out);
    context.getLogger().info(Reconciler.NAME + ": queued " + out.size() + " workspace(s)");
  }

  @FunctionName(QUEUE)
  public void workspace(
      @QueueTrigger(name = "message", queueName = QUEUE, connection = STORAGE) String message,
      ExecutionContext context) {
    WorkspaceId workspace = parse(message);
    ReconcileReport report =
        playbooks
            .reconcile(
                new ReconcileOptions(workspace, null, false),
                context.getLogger(),
                context.getInvocationId(),
                ReconcileProgress.NONE)
            .get(0);
    // Incidents that failed are kept in the checkpoint and tried by the next run; only a run that
    // got nothing done is tried again by the queue.
    if (report.status() == RunStatus.FAILED) {
      throw new IllegalStateException(
          Reconciler.NAME
              + " "
              + workspace.armId()
              + " "
              + report.status().wireName()
              + "; the message will be tried again");
    }
  }

  @FunctionName(Reconciler.NAME)
  public HttpResponseMessage onDemand(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              route = Reconciler.NAME)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return http.reconcile(request, context);
  }

  static WorkspaceId parse(String message) {
    try {
      JsonNode node = Json.MAPPER.readTree(message);
      return WorkspaceId.parse(node.path("workspace").asText(""));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a " + QUEUE + " message is {\"workspace\": \"<workspace ARM id>\"}; this one is not", e);
    }
  }
}
