package org.sentinelplaybooks.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.sentinelplaybooks.clients.defender.SuppressionRule;
import org.sentinelplaybooks.playbooks.core.PlaybookJson;
import org.sentinelplaybooks.playbooks.state.ActionRecord;
import org.sentinelplaybooks.playbooks.state.AppStatus;
import org.sentinelplaybooks.playbooks.state.BlockRecord;
import org.sentinelplaybooks.playbooks.state.TicketLink;
import org.sentinelplaybooks.playbooks.state.WorkspaceCheckpoint;

/** The app's state as a few tables for people, or as one JSON object for scripts. */
final class StatusPrinter {
  private StatusPrinter() {}

  static void print(
      PrintWriter out, AppStatus status, List<SuppressionRule> rules, OutputFormat format) {
    if (format == OutputFormat.json) {
      ObjectNode root = json(status);
      root.set(
          "suppressionRules",
          PlaybookJson.tree(rules.stream().map(SuppressionsCommand::row).toList()));
      ResultPrinter.printJson(out, root);
      return;
    }
    out.println("Status at " + seconds(status.at()));
    out.printf(
        "Blocks: %d active, %d due within the hour%n",
        status.activeBlocks().size(), status.dueWithinHour().size());
    if (!status.activeBlocks().isEmpty()) {
      out.printf("  %-18s %-21s %-4s %-52s %s%n", "address", "until", "", "where", "incident");
    }
    for (BlockRecord block : status.activeBlocks()) {
      out.printf(
          "  %-18s %-21s %-4s %-52s %s%n",
          block.address(),
          seconds(block.expiresAt()),
          block.lifting() ? "lift" : status.dueWithinHour().contains(block) ? "due" : "",
          where(block.target()),
          lastSegment(String.valueOf(block.incidentId())));
    }
    out.printf("Tickets: %d linked%n", status.tickets().size());
    for (TicketLink ticket : status.tickets()) {
      out.printf("  %-12s incident %s%n", ticket.number(), lastSegment(ticket.incidentArmId()));
    }
    out.printf("Reconcile checkpoints: %d workspace(s)%n", status.checkpoints().size());
    for (WorkspaceCheckpoint checkpoint : status.checkpoints()) {
      out.printf(
          "  %s: last run %s (%s), last success %s, last full sweep %s, failures pending %d%s%n",
          lastSegment(checkpoint.workspace()),
          seconds(checkpoint.lastRun()),
          checkpoint.lastRunStatus() == null ? "-" : checkpoint.lastRunStatus(),
          seconds(checkpoint.lastSuccess()),
          seconds(checkpoint.lastFullSweep()),
          checkpoint.failuresPending(),
          checkpoint.heldBy() == null ? "" : ", held by run " + checkpoint.heldBy());
    }
    out.printf("Identity actions: the latest %d%n", status.identityActions().size());
    for (ActionRecord action : status.identityActions()) {
      out.printf(
          "  %-21s %-8s user %s  incident %s%n",
          seconds(action.completedAt()),
          action.action(),
          action.subject(),
          lastSegment(String.valueOf(action.incidentArmId())));
    }
    out.printf("Suppression rules written by the playbooks: %d%n", rules.size());
    SuppressionsCommand.printText(out, rules);
    out.flush();
  }

  static ObjectNode json(AppStatus status) {
    ObjectNode root = PlaybookJson.object();
    root.put("at", status.at().toString());
    ArrayNode active = root.putArray("activeBlocks");
    status.activeBlocks().forEach(b -> active.add(json(b)));
    ArrayNode due = root.putArray("dueWithinHour");
    status.dueWithinHour().forEach(b -> due.add(json(b)));
    ArrayNode tickets = root.putArray("tickets");
    for (TicketLink ticket : status.tickets()) {
      tickets
          .addObject()
          .put("incidentId", ticket.incidentArmId())
          .put("number", ticket.number())
          .put("sysId", ticket.sysId());
    }
    ArrayNode checkpoints = root.putArray("checkpoints");
    for (WorkspaceCheckpoint checkpoint : status.checkpoints()) {
      checkpoints
          .addObject()
          .put("workspace", checkpoint.workspace())
          .put("lastRun", nullable(checkpoint.lastRun()))
          .put("lastRunStatus", checkpoint.lastRunStatus())
          .put("lastSuccess", nullable(checkpoint.lastSuccess()))
          .put("lastFullSweep", nullable(checkpoint.lastFullSweep()))
          .put("failuresPending", checkpoint.failuresPending())
          .put("heldBy", checkpoint.heldBy());
    }
    ArrayNode actions = root.putArray("identityActions");
    for (ActionRecord action : status.identityActions()) {
      actions
          .addObject()
          .put("completedAt", nullable(action.completedAt()))
          .put("action", action.action())
          .put("subject", action.subject())
          .put("incidentId", action.incidentArmId());
    }
    return root;
  }

  private static ObjectNode json(BlockRecord block) {
    return PlaybookJson.object()
        .put("target", block.target())
        .put("address", block.address())
        .put("expiresAt", nullable(block.expiresAt()))
        .put("incidentId", block.incidentId())
        .put("blockedAt", nullable(block.blockedAt()))
        .put("beingLifted", block.lifting());
  }

  private static String nullable(Instant at) {
    return at == null ? null : at.toString();
  }

  /** A time for people: to the second, or "never". */
  private static String seconds(Instant at) {
    return at == null ? "never" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code nsg:/subscriptions/…/networkSecurityGroups/nsg-web} reads {@code nsg nsg-web}. */
  private static String where(String target) {
    int colon = target.indexOf(':');
    return colon < 0
        ? target
        : target.substring(0, colon) + " " + lastSegment(target.substring(colon + 1));
  }

  private static String lastSegment(String id) {
    return id.substring(id.lastIndexOf('/') + 1);
  }
}
