package org.sentinelplaybooks.playbooks.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.IncidentId;
import org.sentinelplaybooks.clients.sentinel.SentinelClient;

/**
 * The steps every playbook takes, written once: the incident's id, then its options (bad input is
 * refused before anything is read), the workspace allow-list, the incident read again from Sentinel
 * (never trusted from the payload), the playbook's own act step, the one audit comment, the result
 * and its log lines. A playbook supplies only its options and what it does.
 *
 * @param <O> the playbook's options
 */
public abstract class IncidentPlaybook<O extends PlaybookOptions> implements Playbook {
  private final String name;
  private final String verb;
  private final Class<O> optionsType;
  private final PlaybookSettings settings;
  private final SentinelClient sentinel;

  /** {@code verb} is the action a refused workspace is reported under, e.g. {@code close}. */
  protected IncidentPlaybook(
      String name,
      String verb,
      Class<O> optionsType,
      PlaybookSettings settings,
      SentinelClient sentinel) {
    this.name = name;
    this.verb = verb;
    this.optionsType = optionsType;
    this.settings = settings;
    this.sentinel = sentinel;
  }

  /** What the act step did, and the lines the audit comment opens with (none for none). */
  public record Acted(List<ActionResult> actions, List<String> headline) {
    public static Acted of(List<ActionResult> actions) {
      return new Acted(actions, List.of());
    }

    /** With a one-line headline, or none when {@code headline} is null. */
    public static Acted of(List<ActionResult> actions, String headline) {
      return new Acted(actions, headline == null ? List.of() : List.of(headline));
    }
  }

  /** The playbook's act step, given the incident as Sentinel has it now. */
  @FunctionalInterface
  public interface Act {
    Acted on(Incident incident);
  }

  /** The options in the request body; throws {@link BadInputException} naming a bad field. */
  protected abstract O options(PlaybookRequest request);

  /**
   * Starts what needs only the incident's id (reads that go while the incident is read) and returns
   * the act step.
   */
  protected abstract Act start(IncidentId id, O options, RunContext context);

  @Override
  public final String name() {
    return name;
  }

  /** Runs with the options of the request body. */
  @Override
  public final PlaybookResult run(PlaybookRequest request, RunContext context) {
    return run(request, this::options, context);
  }

  /**
   * Runs on the incident {@code incident} names with options built by the caller (the CLI, from its
   * flags), once the incident id is read, as the body's would be; options of another playbook are a
   * programming error.
   */
  public final PlaybookResult run(
      PlaybookRequest incident, Supplier<? extends PlaybookOptions> options, RunContext context) {
    return run(incident, request -> optionsType.cast(options.get()), context);
  }

  private PlaybookResult run(
      PlaybookRequest request, Function<PlaybookRequest, O> readOptions, RunContext context) {
    IncidentId id = request.incidentId();
    O options = readOptions.apply(request);
    Optional<PlaybookResult> refused = WorkspaceGuard.check(settings, name, id, verb, context);
    if (refused.isPresent()) {
      return refused.get();
    }
    Act act = start(id, options, context);
    Incident incident = IncidentReader.read(sentinel, id, request, context);
    Acted acted = act.on(incident);
    List<ActionResult> actions = new ArrayList<>(acted.actions());
    actions.addAll(
        AuditComment.writeLines(
            sentinel, id, incident.etag(), name, actions, acted.headline(), context));
    PlaybookResult result = PlaybookResult.of(name, id.armId(), context.dryRun(), actions);
    Actions.log(context, result);
    return result;
  }
}
