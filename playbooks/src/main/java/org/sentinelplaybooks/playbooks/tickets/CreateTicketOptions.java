package org.sentinelplaybooks.playbooks.tickets;

import org.sentinelplaybooks.playbooks.core.PlaybookOptions;

/**
 * The options of create-ticket: none yet. The ticket's caller, assignment group and category come
 * from the settings; everything else from the incident.
 */
public record CreateTicketOptions() implements PlaybookOptions {
  public static final CreateTicketOptions NONE = new CreateTicketOptions();

  @Override
  public String playbook() {
    return CreateTicketPlaybook.NAME;
  }
}
