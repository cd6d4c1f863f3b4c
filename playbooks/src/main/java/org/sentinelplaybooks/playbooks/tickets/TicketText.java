package org.sentinelplaybooks.playbooks.tickets;

import java.util.List;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentEntity;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;

/**
 * The text of a ServiceNow ticket, from an incident whose fields anyone who can raise an alert may
 * have written: markup and control characters are removed, lengths are kept to the fields'.
 */
public final class TicketText {
  static final int SHORT_DESCRIPTION_LENGTH = 160;
  static final int DESCRIPTION_LENGTH = 4000;
  static final int LISTED_ITEMS = 20;
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\t]]");
  private static final Pattern CODE_MARKUP = Pattern.compile("(?i)\\[/?code\\]");

  private TicketText() {}

  /** Plain, printable text: no HTML tags or angle brackets, no control characters, no [code]. */
  public static String safe(String text) {
    if (text == null) {
      return "";
    }
    String plain = TAG.matcher(text).replaceAll(" ");
    plain = CONTROL.matcher(plain).replaceAll(" ");
    plain = CODE_MARKUP.matcher(plain).replaceAll(" ");
    return plain.replace('<', ' ').replace('>', ' ').replaceAll("[ \\t]{2,}", " ").trim();
  }

  static String cut(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }

  static String shortDescription(Incident incident) {
    String title = safe(incident.title()).replace('\n', ' ');
    if (title.isBlank()) {
      title = "Microsoft Sentinel incident " + number(incident);
    }
    return cut(title, SHORT_DESCRIPTION_LENGTH);
  }

  static String description(
      Incident incident, List<SecurityAlert> alerts, List<IncidentEntity> entities) {
    StringBuilder text = new StringBuilder();
    text.append("Microsoft Sentinel incident ").append(number(incident)).append('\n');
    text.append("Severity: ").append(safe(incident.severity())).append('\n');
    text.append("Status: ").append(safe(incident.status())).append('\n');
    if (incident.incidentUrl() != null) {
      text.append("Link: ").append(safe(incident.incidentUrl())).append('\n');
    }
    text.append("Incident id: ").append(incident.id().armId()).append('\n');
    String description = safe(incident.description());
    if (!description.isBlank()) {
      text.append('\n').append(cut(description, 1500)).append('\n');
    }
    text.append("\nAlerts (").append(alerts.size()).append("):\n");
    alerts.stream()
        .limit(LISTED_ITEMS)
        .forEach(
            a ->
                text.append("- ")
                    .append(safe(a.label()))
                    .append(" (")
                    .append(safe(a.productName()))
                    .append(")\n"));
    text.append("\nEntities (").append(entities.size()).append("):\n");
    entities.stream()
        .limit(LISTED_ITEMS)
        .forEach(
            e ->
                text.append("- ")
                    .append(safe(e.kind()))
                    .append(": ")
                    .append(safe(e.displayName()))
                    .append('\n'));
    return cut(text.toString().trim(), DESCRIPTION_LENGTH);
  }

  private static String number(Incident incident) {
    return incident.incidentNumber() == null
        ? incident.id().name()
        : "#" + incident.incidentNumber();
  }

  /** ServiceNow's impact and urgency (1 high, 2 medium, 3 low) from Sentinel's severity. */
  static String level(String severity) {
    if ("High".equalsIgnoreCase(severity)) {
      return "1";
    }
    return "Medium".equalsIgnoreCase(severity) ? "2" : "3";
  }
}
