package org.sentinelplaybooks.playbooks.close;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.sentinelplaybooks.clients.ApiException;
import org.sentinelplaybooks.clients.SettingsReader;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.MdcAlert;
import org.sentinelplaybooks.clients.defender.MdcAlertRef;
import org.sentinelplaybooks.clients.defender.ScopeCondition;
import org.sentinelplaybooks.clients.defender.SuppressionRule;
import org.sentinelplaybooks.clients.sentinel.Incident;
import org.sentinelplaybooks.clients.sentinel.SecurityAlert;
import org.sentinelplaybooks.playbooks.core.ActionResult;
import org.sentinelplaybooks.playbooks.core.Actions;
import org.sentinelplaybooks.playbooks.core.AuditComment;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.Outcome;
import org.sentinelplaybooks.playbooks.core.Parallel;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import org.sentinelplaybooks.playbooks.core.RunContext;

/**
 * "Suppress similar alerts" on a false or benign positive close: one Defender for Cloud suppression
 * rule per subscription and alert type of the incident's alerts, always with an expiry, named so
 * that a rerun finds it. A rule of that name that means something else is never overwritten.
 */
public final class SimilarAlertSuppression {
  static final String SUPPRESS = "suppress";
  static final String SUPPRESS_FOR = "suppressFor";
  static final String SUPPRESS_SCOPE = "suppressScope";

  /** The prefix of every rule the playbooks write; {@code cli suppressions list} looks for it. */
  public static final String NAME_PREFIX = "sentinel-";

  /** The first words of every rule comment the playbooks write. */
  public static final String COMMENT_PREFIX = "[" + AuditComment.SIGNATURE + "] ";

  static final int MAX_RULES = 25;
  static final int MAX_VALUES_PER_FIELD = 50;
  static final int MAX_VALUE_LENGTH = 512;
  static final int MAX_CLOSING_COMMENT_IN_RULE = 500;
  private static final int TYPE_IN_NAME = 30;
  private static final int HASH_IN_NAME = 10;
  private static final Pattern NOT_IN_NAME = Pattern.compile("[^A-Za-z0-9_-]");

  /** What a rule narrows to: every alert of the type, or only those with the alerts' entities. */
  public enum Scope {
    ALERT_TYPE("alertType"),
    ENTITIES("entities");

    private final String wireName;

    Scope(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** A checked suppression request: how long the rules live, what they cover, and why. */
  public record Request(
      Duration suppressFor, Scope scope, String reason, Classification classification) {}

  private final DefenderForCloudClient defender;
  private final Clock clock;

  SimilarAlertSuppression(DefenderForCloudClient defender, Clock clock) {
    this.defender = defender;
    this.clock = clock;
  }

  /**
   * The suppression a close asks for, or empty when it asks for none; bad input (before anything is
   * read or written) for a classification other than a false or benign positive, a duration beyond
   * {@code SUPPRESSION_MAX_TTL}, an unknown scope, or suppression options without {@code suppress}.
   */
  static Optional<Request> of(
      boolean suppress,
      Optional<String> duration,
      Optional<String> scopeText,
      Classification classification,
      boolean alertsClosed,
      PlaybookSettings settings) {
    if (!suppress) {
      if (duration.isPresent()) {
        throw new BadInputException(SUPPRESS_FOR, "only with \"suppress\": true");
      }
      if (scopeText.isPresent()) {
        throw new BadInputException(SUPPRESS_SCOPE, "only with \"suppress\": true");
      }
      return Optional.empty();
    }
    String reason =
        switch (classification) {
          case FALSE_POSITIVE -> "FalsePositive";
          // "The resource isn't relevant for me to monitor": the policy's closest reason to an
          // expected, benign detection (contracts README section 8, reason values).
          case BENIGN_POSITIVE -> "NotRelevant";
          default ->
              throw new BadInputException(
                  SUPPRESS,
                  "only when closing as FalsePositive or BenignPositive; this close is "
                      + classification.wireName()
                      + ", so nothing was written");
        };
    if (!alertsClosed) {
      throw new BadInputException(
          SUPPRESS, "reads the incident's alerts, so it cannot go with \"dismissAlerts\": false");
    }
    SuppressionSettings limits = settings.suppression();
    Duration ttl = limits.ttl();
    if (duration.isPresent()) {
      try {
        ttl = SettingsReader.positiveDuration(duration.get());
      } catch (IllegalArgumentException e) {
        throw new BadInputException(SUPPRESS_FOR, e.getMessage());
      }
      if (ttl.compareTo(limits.maxTtl()) > 0) {
        throw new BadInputException(
            SUPPRESS_FOR,
            "is "
                + readable(ttl)
                + ", longer than "
                + SuppressionSettings.SUPPRESSION_MAX_TTL
                + " ("
                + readable(limits.maxTtl())
                + ")");
      }
    }
    Scope scope = Scope.ALERT_TYPE;
    if (scopeText.isPresent()) {
      scope =
          List.of(Scope.values()).stream()
              .filter(s -> s.wireName.equalsIgnoreCase(scopeText.get()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new BadInputException(
                          SUPPRESS_SCOPE,
                          "'"
                              + scopeText.get()
                              + "' is not a scope; expected alertType or entities"));
    }
    return Optional.of(new Request(ttl, scope, reason, classification));
  }

  /**
   * The rules for the incident's Defender for Cloud alerts, once the close has left the incident
   * closed as asked (a failed close, or an incident already closed as something else, writes no
   * rule).
   */
  List<ActionResult> suppress(
      Incident incident,
      ActionResult close,
      String closedAs,
      String closingComment,
      List<SecurityAlert> alerts,
      Map<String, MdcAlert> alreadyRead,
      Request request,
      RunContext context) {
    String target = "incident:" + incident.id().armId();
    boolean closedAsAsked =
        close.outcome() == Outcome.DONE
            || close.outcome() == Outcome.PLANNED
            || (close.outcome() == Outcome.ALREADY
                && incident.isClosed()
                && request.classification().wireName().equalsIgnoreCase(incident.classification()));
    if (!closedAsAsked) {
      return List.of(
          ActionResult.of(
              target,
              SUPPRESS,
              Outcome.REFUSED,
              "no suppression rule written: the incident is not closed as "
                  + request.classification().wireName()
                  + " ("
                  + close.detail()
                  + ")"));
    }
    List<ActionResult> actions = new ArrayList<>();
    Map<String, List<MdcAlert>> groups = new LinkedHashMap<>();
    for (Object read :
        Parallel.map(
            alerts,
            CloseIncidentPlaybook.ALERT_CONCURRENCY,
            alert ->
                alert.name() != null && alreadyRead.containsKey(alert.name())
                    ? alreadyRead.get(alert.name())
                    : readAlert(alert))) {
      if (read instanceof ActionResult failed) {
        actions.add(failed);
      } else if (read instanceof MdcAlert alert && alert.alertType() != null) {
        groups
            .computeIfAbsent(
                alert.id().subscriptionId() + "|" + alert.alertType().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(alert);
      }
    }
    if (groups.size() > MAX_RULES) {
      actions.add(
          ActionResult.of(
              target,
              SUPPRESS,
              Outcome.REFUSED,
              "the incident's alerts would make "
                  + groups.size()
                  + " suppression rules; one close writes at most "
                  + MAX_RULES
                  + ", so none was written"));
      return actions;
    }
    Instant expiresAt = clock.instant().plus(request.suppressFor()).truncatedTo(ChronoUnit.SECONDS);
    String comment = comment(incident, closedAs, request, closingComment);
    actions.addAll(
        Parallel.map(
            List.copyOf(groups.values()),
            CloseIncidentPlaybook.ALERT_CONCURRENCY,
            group -> writeRule(group, request, expiresAt, comment, context)));
    return actions;
  }

  /** The Defender for Cloud alert behind a Sentinel alert, a failed action, or null to ignore. */
  private Object readAlert(SecurityAlert alert) {
    Optional<MdcAlertRef> ref = MdcAlertRef.of(alert);
    if (ref.isEmpty()) {
      return null;
    }
    try {
      Optional<MdcAlert> found = defender.findAlert(ref.get());
      if (found.isEmpty() || found.get().alertType() == null) {
        return null;
      }
      return found.get();
    } catch (RuntimeException e) {
      return ActionResult.of(
          "mdc-alert:" + ref.get(),
          SUPPRESS,
          Outcome.FAILED,
          alert.label() + ": its alert type could not be read: " + Actions.describe(e));
    }
  }

  private ActionResult writeRule(
      List<MdcAlert> group,
      Request request,
      Instant expiresAt,
      String comment,
      RunContext context) {
    MdcAlert first = group.get(0);
    String subscription = first.id().subscriptionId();
    String alertType = first.alertType();
    String ruleTarget =
        "mdc-suppression-rule:/subscriptions/"
            + subscription
            + "/providers/Microsoft.Security/alertsSuppressionRules/";
    List<ScopeCondition> scope = new ArrayList<>();
    if (request.scope() == Scope.ENTITIES) {
      Optional<String> unfit = entityScope(group, scope);
      if (unfit.isPresent()) {
        return ActionResult.of(
            ruleTarget + "?alertType=" + alertType,
            SUPPRESS,
            Outcome.SKIPPED,
            alertType + ": " + unfit.get() + "; no rule written");
      }
    }
    SuppressionRule wanted =
        new SuppressionRule(
            subscription,
            ruleName(alertType, request, scope),
            alertType,
            request.reason(),
            SuppressionRule.ENABLED,
            expiresAt,
            comment,
            scope,
            null);
    String target = ruleTarget + wanted.name();
    String what = describe(wanted);
    try {
      Optional<SuppressionRule> existing =
          defender.findSuppressionRule(subscription, wanted.name());
      boolean renew = false;
      if (existing.isPresent()) {
        SuppressionRule rule = existing.get();
        if (!sameMeaning(rule, wanted)) {
          return leftAsItIs(target, rule, "exists with another meaning (" + describe(rule) + ")");
        }
        if (rule.isActive(clock.instant())) {
          return ActionResult.of(
              target,
              SUPPRESS,
              Outcome.ALREADY,
              "already " + describe(rule) + incidentOf(rule).map(i -> ", for " + i).orElse(""));
        }
        if (!isOurs(rule)) {
          return leftAsItIs(target, rule, "that the playbooks did not write is " + rule.state());
        }
        renew = true;
      }
      if (context.dryRun()) {
        return ActionResult.of(
            target, SUPPRESS, Outcome.PLANNED, "would " + (renew ? "renew: " : "write: ") + what);
      }
      defender.putSuppressionRule(wanted);
      return ActionResult.of(target, SUPPRESS, Outcome.DONE, (renew ? "renewed: " : "") + what);
    } catch (ApiException e) {
      return ActionResult.of(target, SUPPRESS, Outcome.FAILED, alertType + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return ActionResult.of(
          target, SUPPRESS, Outcome.FAILED, alertType + ": " + Actions.describe(e));
    }
  }

  /** A rule of the wanted name that is not the playbooks' to change. */
  private static ActionResult leftAsItIs(String target, SuppressionRule rule, String why) {
    return ActionResult.of(
        target,
        SUPPRESS,
        Outcome.REFUSED,
        "a rule named " + rule.name() + " " + why + "; left as it is");
  }

  /**
   * Fills {@code scope} with the group's IP addresses, host names and Azure resource ids; the
   * reason it cannot when the alerts have none (a broader rule is never written instead) or more
   * than a rule should carry.
   */
  private static Optional<String> entityScope(List<MdcAlert> group, List<ScopeCondition> scope) {
    for (String field :
        List.of(
            ScopeCondition.IP_ADDRESS,
            ScopeCondition.HOST_NAME,
            ScopeCondition.AZURE_RESOURCE_ID)) {
      Set<String> values = new TreeSet<>();
      for (MdcAlert alert : group) {
        for (String value : alert.entityValues().getOrDefault(field, List.of())) {
          if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of(
                "an entity value is longer than " + MAX_VALUE_LENGTH + " characters");
          }
          values.add(value);
        }
      }
      if (values.size() > MAX_VALUES_PER_FIELD) {
        return Optional.of(
            values.size() + " values of " + field + ", more than " + MAX_VALUES_PER_FIELD);
      }
      if (!values.isEmpty()) {
        scope.add(ScopeCondition.in(field, List.copyOf(values)));
      }
    }
    return scope.isEmpty()
        ? Optional.of("its alerts name no IP address, host name or Azure resource id to narrow to")
        : Optional.empty();
  }

  /**
   * sentinel-{alert type, at most 30 characters}-{10 hex digits of what the rule means}: at most 50
   * characters of letters, digits, - and _, starting with a letter, the same on every rerun.
   */
  static String ruleName(String alertType, Request request, List<ScopeCondition> scope) {
    String type = NOT_IN_NAME.matcher(alertType).replaceAll("-");
    if (type.length() > TYPE_IN_NAME) {
      type = type.substring(0, TYPE_IN_NAME);
    }
    StringBuilder meaning =
        new StringBuilder(alertType.toLowerCase(Locale.ROOT))
            .append('|')
            .append(request.reason())
            .append('|')
            .append(request.scope().wireName());
    for (ScopeCondition condition : scope) {
      meaning.append('|').append(condition.field());
      for (String value : condition.in()) {
        meaning.append(',').append(value.toLowerCase(Locale.ROOT));
      }
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(meaning.toString().getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest).substring(0, HASH_IN_NAME);
      return SuppressionRule.checkName(NAME_PREFIX + type + "-" + hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Same alert type, reason and scope: the expiry and the comment do not change what it does. */
  private static boolean sameMeaning(SuppressionRule existing, SuppressionRule wanted) {
    return wanted.alertType().equalsIgnoreCase(String.valueOf(existing.alertType()))
        && wanted.reason().equalsIgnoreCase(String.valueOf(existing.reason()))
        && normalized(existing.scope()).equals(normalized(wanted.scope()));
  }

  private static Set<String> normalized(List<ScopeCondition> scope) {
    Set<String> conditions = new LinkedHashSet<>();
    for (ScopeCondition condition : scope) {
      Set<String> values = new TreeSet<>();
      if (condition.in() != null) {
        condition.in().forEach(v -> values.add(v.toLowerCase(Locale.ROOT)));
      }
      conditions.add(
          String.valueOf(condition.field()).toLowerCase(Locale.ROOT)
              + " in "
              + values
              + " contains "
              + condition.contains());
    }
    return new TreeSet<>(conditions);
  }

  /** Written by the playbooks: their name prefix and their comment. */
  public static boolean isOurs(SuppressionRule rule) {
    return rule.name() != null
        && rule.name().startsWith(NAME_PREFIX)
        && rule.comment() != null
        && rule.comment().startsWith(COMMENT_PREFIX);
  }

  /** The incident ARM id a rule's comment names, when it is one the playbooks wrote. */
  public static Optional<String> incidentOf(SuppressionRule rule) {
    if (rule.comment() == null) {
      return Optional.empty();
    }
    // The comment reads "... (<incident ARM id>) closed as ...": the first parenthesis that holds
    // an incident id, read without a regular expression over text anyone may write.
    String comment = rule.comment();
    int start = comment.indexOf("(/subscriptions/");
    int end = start < 0 ? -1 : comment.indexOf(')', start);
    if (end < 0) {
      return Optional.empty();
    }
    String id = comment.substring(start + 1, end);
    return id.contains("/incidents/") && id.chars().noneMatch(Character::isWhitespace)
        ? Optional.of(id)
        : Optional.empty();
  }

  /** P14D rather than Duration's PT336H when it is whole days. */
  static String readable(Duration duration) {
    return duration.toSeconds() % 86_400 == 0 ? "P" + duration.toDays() + "D" : duration.toString();
  }

  /** For people: what a rule suppresses and until when. */
  public static String describe(SuppressionRule rule) {
    return "suppresses "
        + rule.alertType()
        + " alerts of subscription "
        + rule.subscriptionId()
        + (rule.scope().isEmpty() ? "" : " where " + rule.scope())
        + " as "
        + rule.reason()
        + ", "
        + rule.state()
        + (rule.expiresAt() == null ? ", with no expiry" : " until " + rule.expiresAt());
  }

  /** Names the incident (number and ARM id), the classification and the closing comment. */
  private static String comment(
      Incident incident, String closedAs, Request request, String closingComment) {
    String closed =
        closingComment == null
            ? ""
            : ": "
                + (closingComment.length() > MAX_CLOSING_COMMENT_IN_RULE
                    ? closingComment.substring(0, MAX_CLOSING_COMMENT_IN_RULE) + "…"
                    : closingComment);
    return COMMENT_PREFIX
        + "Sentinel incident "
        + (incident.incidentNumber() == null ? "" : "#" + incident.incidentNumber() + " ")
        + "("
        + incident.id().armId()
        + ") closed as "
        + closedAs
        + "; rule reason "
        + request.reason()
        + ", for "
        + readable(request.suppressFor())
        + closed;
  }
}
