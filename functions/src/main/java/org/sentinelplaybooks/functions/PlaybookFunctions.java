package org.sentinelplaybooks.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.block.BlockIpPlaybook;
import org.sentinelplaybooks.playbooks.close.CloseIncidentPlaybook;
import org.sentinelplaybooks.playbooks.identity.ConfirmRiskyUserPlaybook;
import org.sentinelplaybooks.playbooks.tickets.CreateTicketPlaybook;

/** {@code POST /api/playbooks/{playbook}}: one function per playbook, each a line of glue. */
public final class PlaybookFunctions {
  private final HttpPlaybookRunner runner;

  public PlaybookFunctions(Playbooks playbooks) {
    this.runner = new HttpPlaybookRunner(playbooks);
  }

  @FunctionName(CloseIncidentPlaybook.NAME)
  public HttpResponseMessage closeIncident(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              route = "playbooks/" + CloseIncidentPlaybook.NAME)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return runner.run(CloseIncidentPlaybook.NAME, request, context);
  }

  @FunctionName(CreateTicketPlaybook.NAME)
  public HttpResponseMessage createTicket(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              route = "playbooks/" + CreateTicketPlaybook.NAME)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return runner.run(CreateTicketPlaybook.NAME, request, context);
  }

  @FunctionName(ConfirmRiskyUserPlaybook.NAME)
  public HttpResponseMessage confirmRiskyUser(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              route = "playbooks/" + ConfirmRiskyUserPlaybook.NAME)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return runner.run(ConfirmRiskyUserPlaybook.NAME, request, context);
  }

  @FunctionName(BlockIpPlaybook.NAME)
  public HttpResponseMessage blockIp(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              route = "playbooks/" + BlockIpPlaybook.NAME)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return runner.run(BlockIpPlaybook.NAME, request, context);
  }
}
