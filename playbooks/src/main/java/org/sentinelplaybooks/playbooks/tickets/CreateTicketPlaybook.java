package org.sentinelplaybooks.playbooks.tickets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.sentinelplaybooks.clients.Waiter;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.IncidentUpdate;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.clients.servicenow.TicketRequest;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.ActionStep;
import org.sentinelplaybooks.playbooks.core.IncidentPlaybook;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.TicketLink;
import org.sentinelplaybooks.playbooks.state.TicketStore;

/**
 * Opens one ServiceNow incident per Sentinel incident and links the two: the ticket carries the
 * incident's name as {@code correlation_id}, the incident gets a {@code ServiceNow:<number>} label
 * and a comment. The {@code tickets} row is the claim that makes concurrent runs create one ticket;
 * the correlation id finds the ticket again when the row is lost, or when a create got no answer.
 */
public final class CreateTicketPlaybook extends IncidentPlaybook<CreateTicketOptions> {
  public static final String NAME = "create-ticket";
  public static final String LABEL_PREFIX = "ServiceNow:";
  static final Duration STALE_CLAIM = Duration.ofMinutes(2);
  static final Duration WAIT_FOR_OTHER_RUN = Duration.ofSeconds(20);
  static final Duration POLL_OTHER_RUN = Duration.ofMillis(200);

  private final PlaybookSettings settings;
  private final SentinelClient sentinel;
  private final ServiceNowClient serviceNow;
  private final TicketStore tickets;
  private final Parallel parallel;
  private final Waiter waiter;

  /** While another run holds the claim, waits through {@code waiter}, by its clock. */
  public CreateTicketPlaybook(
      PlaybookSettings settings,
      SentinelClient sentinel,
      ServiceNowClient serviceNow,
      TicketStore tickets,
      Parallel parallel,
      Waiter waiter) {
    super(NAME, "create", CreateTicketOptions.class, settings, sentinel);
    this.settings = settings;
    this.sentinel = sentinel;
    this.serviceNow = serviceNow;
    this.tickets = tickets;
    this.parallel = parallel;
    this.waiter = waiter;
  }

  @Override
  protected CreateTicketOptions options(PlaybookRequest request) {
    return CreateTicketOptions.NONE;
  }

  @Override
  protected Act start(IncidentId id, CreateTicketOptions options, RunContext context) {
    CompletableFuture<List<SecurityAlert>> alerts = parallel.call(() -> sentinel.listAlerts(id));
    CompletableFuture<List<IncidentEntity>> entities =
        parallel.call(() -> sentinel.listEntities(id));
    return incident -> act(incident, alerts, entities, context);
  }

  /**
   * Creates the ticket once (or finds it) and labels the incident with its number; the audit
   * comment opens with what became of the ticket.
   */
  private Acted act(
      Incident incident,
      CompletableFuture<List<SecurityAlert>> alerts,
      CompletableFuture<List<IncidentEntity>> entities,
      RunContext context) {
    Ticket ticket;
    try {
      ticket = context.dryRun() ? plan(incident) : createOnce(incident, alerts, entities, context);
    } catch (RuntimeException e) {
      return Acted.of(List.of(ActionStep.on("servicenow:incident", "create").failed(e)));
    }
    List<ActionResult> actions = new ArrayList<>(List.of(ticket.action()));
    if (ticket.number() != null) {
      actions.add(label(incident, ticket, context));
    }
    String headline = ticket.action().outcome() == Outcome.FAILED ? null : ticket.action().detail();
    return Acted.of(actions, headline);
  }

  /** What a run did about the ticket: its number and sys_id when one exists, and the action. */
  record Ticket(String sysId, String number, ActionResult action) {}

  private Ticket plan(Incident incident) {
    Optional<ServiceNowIncident> existing = Tickets.find(tickets, serviceNow, incident.id());
    if (existing.isPresent()) {
      return linked(existing.get(), Outcome.ALREADY, "already linked to ");
    }
    return new Ticket(
        null,
        null,
        ActionStep.on("servicenow:incident", "create")
            .planned("would create a ServiceNow incident"));
  }

  private Ticket linked(ServiceNowIncident ticket, Outcome outcome, String prefix) {
    return new Ticket(
        ticket.sysId(),
        ticket.number(),
        ActionResult.of(
            "servicenow:incident/" + ticket.sysId(),
            "create",
            outcome,
            prefix + ticket.number() + " " + serviceNow.link(ticket.sysId())));
  }

  private Ticket createOnce(
      Incident incident,
      CompletableFuture<List<SecurityAlert>> alerts,
      CompletableFuture<List<IncidentEntity>> entities,
      RunContext context) {
    IncidentId id = incident.id();
    String runId = UUID.randomUUID().toString();
    Instant deadline = waiter.clock().instant().plus(WAIT_FOR_OTHER_RUN);
    while (!tickets.claim(id, runId)) {
      TicketLink link = tickets.get(id).orElse(null);
      if (link == null) {
        continue;
      }
      if (link.isLinked()) {
        Optional<ServiceNowIncident> ticket = Tickets.find(tickets, serviceNow, id);
        if (ticket.isPresent()) {
          if (!ticket.get().sysId().equals(link.sysId())) {
            tickets.link(id, ticket.get().sysId(), ticket.get().number());
          }
          return linked(ticket.get(), Outcome.ALREADY, "already linked to ");
        }
        throw new IllegalStateException(
            "the linked ticket "
                + link.number()
                + " no longer exists in ServiceNow; delete the incident's row in the "
                + "tickets table to create a new one");
      } else if (link.claimedAt().plus(STALE_CLAIM).isBefore(waiter.clock().instant())) {
        if (tickets.takeOver(id, link, runId)) {
          break;
        }
      } else if (waiter.clock().instant().isAfter(deadline)) {
        throw new IllegalStateException(
            "another run has been creating the ticket since "
                + link.claimedAt()
                + "; try again later");
      } else {
        pause();
      }
    }
    try {
      Optional<ServiceNowIncident> found = Tickets.findByCorrelation(serviceNow, id);
      if (found.isPresent()) {
        tickets.link(id, found.get().sysId(), found.get().number());
        return linked(found.get(), Outcome.ALREADY, "found by correlation_id and linked to ");
      }
      ServiceNowIncident created =
          serviceNow.create(
              ticket(incident, alerts.join(), entities.join()),
              () -> Tickets.findByCorrelation(serviceNow, id));
      tickets.link(id, created.sysId(), created.number());
      return linked(created, Outcome.DONE, "created ");
    } catch (RuntimeException e) {
      tickets.release(id, runId);
      throw e;
    }
  }

  private void pause() {
    waiter.sleep(POLL_OTHER_RUN);
  }

  private TicketRequest ticket(
      Incident incident, List<SecurityAlert> alerts, List<IncidentEntity> entities) {
    TicketSettings ticketing = settings.tickets();
    return new TicketRequest(
        TicketText.shortDescription(incident),
        TicketText.description(incident, alerts, entities),
        TicketText.level(incident.severity()),
        TicketText.level(incident.severity()),
        Tickets.correlationId(incident.id()),
        Tickets.CORRELATION_DISPLAY,
        ticketing.callerId(),
        ticketing.assignmentGroup(),
        ticketing.category());
  }

  private ActionResult label(Incident incident, Ticket ticket, RunContext context) {
    String label = LABEL_PREFIX + ticket.number();
    ActionStep step = ActionStep.on("incident:" + incident.id().armId(), "label");
    if (incident.labels().contains(label)) {
      return step.already("already labelled " + label);
    }
    return step.perform(
        context,
        "would label " + label,
        () -> {
          SentinelClient.UpdateResult update =
              sentinel.updateIncident(
                  incident,
                  current ->
                      current.labels().contains(label)
                          ? Optional.empty()
                          : Optional.of(IncidentUpdate.addLabel(label)));
          return update.written()
              ? step.done("labelled " + label)
              : step.already("already labelled " + label);
        });
  }
}
