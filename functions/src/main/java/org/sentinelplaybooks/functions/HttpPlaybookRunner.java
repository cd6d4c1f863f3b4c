package org.sentinelplaybooks.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import java.util.Optional;
import java.util.logging.Level;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.playbooks.Playbooks;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.core.PlaybookResult;
import org.sentinelplaybooks.playbooks.core.RunStatus;
import org.sentinelplaybooks.playbooks.reconcile.Reconciler;

/**
 * The HTTP contract of every playbook function: 200 with the result, 403 with the result when a
 * guardrail refused it, 400 naming the bad field, 502 when a service could not be read before
 * anything was done (its own error, e.g. 403 AuthorizationFailed), 500 without internals. Never a
 * stack trace.
 */
final class HttpPlaybookRunner {
  static final String DRY_RUN_PARAMETER = "dryRun";

  private final Playbooks playbooks;

  HttpPlaybookRunner(Playbooks playbooks) {
    this.playbooks = playbooks;
  }

  HttpResponseMessage run(
      String playbook, HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
    return handle(
        playbook,
        request,
        context,
        dryRun -> {
          PlaybookResult result =
              playbooks.run(
                  playbook,
                  request.getBody().orElse(""),
                  dryRun,
                  context.getLogger(),
                  context.getInvocationId());
          return json(
              request,
              result.status() == RunStatus.REFUSED ? HttpStatus.FORBIDDEN : HttpStatus.OK,
              result);
        });
  }

  /** {@code POST /api/reconcile}: 200 with one report per workspace. */
  HttpResponseMessage reconcile(
      HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
    return handle(
        Reconciler.NAME,
        request,
        context,
        dryRun ->
            json(
                request,
                HttpStatus.OK,
                playbooks.reconcile(
                    request.getBody().orElse(""),
                    dryRun,
                    context.getLogger(),
                    context.getInvocationId())));
  }

  /** Runs the work with the dry-run parameter, answering every failure as the contract says. */
  private HttpResponseMessage handle(
      String playbook,
      HttpRequestMessage<Optional<String>> request,
      ExecutionContext context,
      java.util.function.Function<Boolean, HttpResponseMessage> work) {
    try {
      return work.apply(dryRun(request));
    } catch (BadInputException e) {
      context.getLogger().warning(playbook + " bad input: " + e.getMessage());
      return json(request, HttpStatus.BAD_REQUEST, error("BadRequest", e.getMessage(), e.field()));
    } catch (ApiException e) {
      context.getLogger().warning(playbook + " could not reach a service: " + e.getMessage());
      return json(request, HttpStatus.BAD_GATEWAY, error("ServiceError", e.getMessage(), null));
    } catch (RuntimeException e) {
      context.getLogger().log(Level.SEVERE, playbook + " failed unexpectedly", e);
      return json(
          request,
          HttpStatus.INTERNAL_SERVER_ERROR,
          error(
              "InternalError",
              "the playbook failed unexpectedly; see the logs of invocation "
                  + context.getInvocationId(),
              null));
    }
  }

  private static boolean dryRun(HttpRequestMessage<Optional<String>> request) {
    String value = request.getQueryParameters().get(DRY_RUN_PARAMETER);
    if (value == null || value.isBlank()) {
      return false;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new BadInputException(DRY_RUN_PARAMETER, "'" + value + "' is not true or false");
  }

  private static ObjectNode error(String code, String message, String field) {
    ObjectNode body = PlaybookJson.object();
    ObjectNode error = body.putObject("error");
    error.put("code", code).put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    return body;
  }

  private static HttpResponseMessage json(
      HttpRequestMessage<?> request, HttpStatus status, Object body) {
    String text;
    try {
      text = PlaybookJson.write(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result could not be written as JSON", e);
    }
    return request
        .createResponseBuilder(status)
        .header("Content-Type", "application/json")
        .body(text)
        .build();
  }
}
