package org.sentinelplaybooks.playbooks.close;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.graph.DefenderXdrClient;
import org.sentinelplaybooks.clients.graph.XdrAlert;
import org.sentinelplaybooks.clients.graph.XdrIncident;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentFilter;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;
import org.sentinelplaybooks.clients.sentinel.WorkspaceId;
import org.sentinelplaybooks.clients.servicenow.ServiceNowClient;
import org.sentinelplaybooks.clients.servicenow.ServiceNowIncident;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.RunContext;
import org.sentinelplaybooks.playbooks.state.TicketLink;
import org.sentinelplaybooks.playbooks.state.TicketStore;
import org.sentinelplaybooks.playbooks.tickets.Tickets;

/**
 * Keeps Defender XDR in step with Sentinel: resolves the XDR alerts of an incident closed in
 * Sentinel with the verdict that means the same there, and follows an incident that Defender XDR
 * merged into another. Incidents Defender XDR owns are left to its own two-way sync, which resolves
 * their alerts with the incident: writing them here too would be a second writer.
 */
public final class DefenderXdrSync {
  static final String OWNED =
      "Defender XDR resolves them with the incident (the incident is Defender XDR's)";

  /** How many listed incidents are looked at for a survivor, should the filter not be applied. */
  static final int MAX_SURVIVOR_CANDIDATES = 50;

  private final DefenderXdrClient xdr;
  private final SentinelClient sentinel;
  private final XdrAlertLookup lookup;

  public DefenderXdrSync(DefenderXdrClient xdr, SentinelClient sentinel) {
    this.xdr = xdr;
    this.sentinel = sentinel;
    this.lookup = new XdrAlertLookup(xdr);
  }

  /**
   * The Defender XDR incident the Sentinel incident is, read on first use; empty for an incident
   * Defender XDR does not own (its providerIncidentId is then Sentinel's own number).
   */
  public Supplier<Optional<XdrIncident>> xdrIncidentOf(Incident incident) {
    String id = incident.providerIncidentId();
    if (!DefenderXdrProducts.ownsIncident(incident) || id == null || id.isBlank()) {
      return Optional::empty;
    }
    return new Supplier<>() {
      private Optional<XdrIncident> read;

      @Override
      public synchronized Optional<XdrIncident> get() {
        if (read == null) {
          read = xdr.getIncident(id);
        }
        return read;
      }
    };
  }

  /** Finds the alert's Defender XDR alert, never guessing it. */
  public XdrAlertLookup.Found find(
      SecurityAlert alert, Supplier<Optional<XdrIncident>> xdrIncident) {
    return lookup.find(alert, xdrIncident);
  }

  /**
   * Resolves the Defender XDR alert of a Sentinel alert with the verdict, and adds the analyst's
   * comment to it (comments are not an update property: POST .../comments,
   * microsoftgraph/microsoft-graph-docs-contrib
   * api-reference/v1.0/api/security-alert-post-comments.md).
   */
  ActionResult resolve(
      Incident incident,
      SecurityAlert alert,
      XdrVerdict verdict,
      String comment,
      RunContext context) {
    String label = alert.label() + " (" + DefenderXdrProducts.product(alert) + ")";
    String fallbackTarget = "sentinel-alert:" + alert.name();
    if (DefenderXdrProducts.ownsIncident(incident)) {
      return ActionResult.of(fallbackTarget, "resolve", Outcome.SKIPPED, label + ": " + OWNED);
    }
    try {
      XdrAlertLookup.Found found = find(alert, xdrIncidentOf(incident));
      if (found instanceof XdrAlertLookup.Found.Missing missing) {
        return ActionResult.of(
            fallbackTarget, "resolve", Outcome.SKIPPED, label + ": " + missing.reason());
      }
      return resolveFound(
          ((XdrAlertLookup.Found.Alert) found).alert(), label, verdict, comment, context);
    } catch (RuntimeException e) {
      return ActionResult.of(
          fallbackTarget, "resolve", Outcome.FAILED, label + ": " + Actions.describe(e));
    }
  }

  /**
   * Resolves an alert found in Defender XDR with the verdict, and adds the analyst's comment to it
   * (comments are not an update property: POST .../comments,
   * api-reference/v1.0/api/security-alert-post-comments.md). {@code already} when it is resolved.
   */
  public ActionResult resolveFound(
      XdrAlert xdrAlert, String label, XdrVerdict verdict, String comment, RunContext context) {
    String target = "xdr-alert:" + xdrAlert.id();
    if (xdrAlert.isResolved()) {
      return ActionResult.of(
          target,
          "resolve",
          Outcome.ALREADY,
          label + ": already resolved in Defender XDR (" + xdrAlert.classification() + ")");
    }
    if (context.dryRun()) {
      return ActionResult.of(
          target,
          "resolve",
          Outcome.PLANNED,
          label + ": would resolve in Defender XDR as " + verdict.describe());
    }
    try {
      XdrAlert resolved = xdr.updateAlert(xdrAlert.id(), verdict.resolution());
      if (!resolved.isResolved()) {
        return ActionResult.of(
            target,
            "resolve",
            Outcome.FAILED,
            label + ": Defender XDR answered the update with status " + resolved.status());
      }
      String detail = label + ": resolved in Defender XDR as " + verdict.describe();
      if (comment != null && !comment.isBlank()) {
        try {
          xdr.addComment(xdrAlert.id(), "Closed in Microsoft Sentinel: " + comment);
        } catch (RuntimeException e) {
          detail += "; the comment was not added: " + Actions.describe(e);
        }
      }
      return ActionResult.of(target, "resolve", Outcome.DONE, detail);
    } catch (RuntimeException e) {
      return ActionResult.of(target, "resolve", Outcome.FAILED, label + ": " + Actions.describe(e));
    }
  }

  /**
   * The Sentinel incident that survives an incident Defender XDR merged into another: the one whose
   * providerIncidentId is the merged incident's {@code redirectIncidentId}. Empty when the incident
   * was not merged, or when not exactly one Sentinel incident is the survivor.
   */
  Optional<IncidentId> survivorOf(Incident incident) {
    Optional<XdrIncident> xdrIncident = xdrIncidentOf(incident).get();
    if (xdrIncident.isEmpty() || !xdrIncident.get().isRedirected()) {
      return Optional.empty();
    }
    String survivor = xdrIncident.get().redirectIncidentId();
    WorkspaceId workspace = incident.id().workspace();
    // The list's filter is not trusted alone: each answer is checked here too.
    List<Incident> matching =
        sentinel.listIncidents(workspace, IncidentFilter.providerIncidentId(survivor), 2).stream()
            .limit(MAX_SURVIVOR_CANDIDATES)
            .filter(i -> survivor.equals(i.providerIncidentId()))
            .filter(DefenderXdrProducts::ownsIncident)
            .limit(2)
            .toList();
    return matching.size() == 1 ? Optional.of(matching.get(0).id()) : Optional.empty();
  }

  /**
   * Moves the ticket of a merged incident to its survivor, unless the survivor has a ticket of its
   * own: the survivor's row is recorded first, then the ticket's {@code correlation_id} names the
   * survivor, then the merged incident's row is forgotten, so that nothing resolves the ticket on
   * the merged incident's account.
   */
  ActionResult moveTicket(
      TicketStore tickets,
      ServiceNowClient serviceNow,
      ServiceNowIncident ticket,
      IncidentId merged,
      IncidentId survivor,
      RunContext context) {
    String target = "servicenow:incident/" + ticket.sysId();
    String where =
        "incident " + survivor.name() + ", which Defender XDR merged " + merged.name() + " into";
    Optional<TicketLink> existing = tickets.get(survivor);
    if (existing.isPresent() && existing.get().isLinked()) {
      boolean same = existing.get().sysId().equals(ticket.sysId());
      return ActionResult.of(
          target,
          "move-ticket",
          same ? Outcome.ALREADY : Outcome.SKIPPED,
          same
              ? "ticket " + ticket.number() + " already follows " + where
              : where
                  + " has its own ticket "
                  + existing.get().number()
                  + "; ticket "
                  + ticket.number()
                  + " is left as it is");
    }
    if (context.dryRun()) {
      return ActionResult.of(
          target,
          "move-ticket",
          Outcome.PLANNED,
          "would move ticket " + ticket.number() + " to " + where);
    }
    if (!tickets.claim(survivor, UUID.randomUUID().toString())) {
      return ActionResult.of(
          target, "move-ticket", Outcome.SKIPPED, where + " is being linked by another run");
    }
    tickets.link(survivor, ticket.sysId(), ticket.number());
    serviceNow.setCorrelationId(ticket.sysId(), Tickets.correlationId(survivor));
    tickets.forget(merged, ticket.sysId());
    return ActionResult.of(
        target, "move-ticket", Outcome.DONE, "ticket " + ticket.number() + " now follows " + where);
  }
}
