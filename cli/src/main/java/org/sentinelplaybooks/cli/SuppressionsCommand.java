package org.sentinelplaybooks.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sentinelplaybooks.clients.ServiceClients;
import org.sentinelplaybooks.clients.defender.DefenderForCloudClient;
import org.sentinelplaybooks.clients.defender.SuppressionRule;
import org.sentinelplaybooks.playbooks.close.SimilarAlertSuppression;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code suppressions}: the Defender for Cloud suppression rules the playbooks wrote. */
@Command(
    name = "suppressions",
    mixinStandardHelpOptions = true,
    description = "List or delete Defender for Cloud alert suppression rules.",
    subcommands = {SuppressionsCommand.ListRules.class, SuppressionsCommand.DeleteRule.class})
final class SuppressionsCommand {
  /** At most this many subscriptions are read by one list. */
  static final int MAX_SUBSCRIPTIONS = 100;

  /** At most this many rules are read from one subscription. */
  static final int MAX_RULES_PER_SUBSCRIPTION = 5000;

  static String subscription(String option, String value) {
    try {
      return SuppressionRule.checkSubscription(value);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(option, e.getMessage());
    }
  }

  /** One rule as {@code --output json} shows it. */
  static Map<String, Object> row(SuppressionRule rule) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("subscriptionId", rule.subscriptionId());
    row.put("name", rule.name());
    row.put("alertType", rule.alertType());
    row.put("reason", rule.reason());
    row.put("state", rule.state());
    row.put("expirationDateUtc", rule.expiresAt() == null ? null : rule.expiresAt().toString());
    row.put("scope", rule.scope().stream().map(Object::toString).toList());
    row.put("incidentId", SimilarAlertSuppression.incidentOf(rule).orElse(null));
    row.put("madeByPlaybooks", SimilarAlertSuppression.isOurs(rule));
    row.put("comment", rule.comment());
    return row;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "The suppression rules the playbooks wrote in the given subscriptions (every rule with"
              + " --all), with expiry and incident.")
  static final class ListRules extends SettingsCommand {
    @Parameters(paramLabel = "SUBSCRIPTION_ID", arity = "1..*", description = "Subscriptions.")
    List<String> subscriptions;

    @Option(names = "--all", description = "Every rule, not only those the playbooks wrote.")
    boolean all;

    @Mixin CommonOptions common;

    @Override
    CommonOptions common() {
      return common;
    }

    @Override
    int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
      if (subscriptions.size() > MAX_SUBSCRIPTIONS) {
        throw new BadInputException(
            "SUBSCRIPTION_ID",
            subscriptions.size() + " subscriptions; at most " + MAX_SUBSCRIPTIONS);
      }
      List<String> checked = new ArrayList<>();
      for (String value : subscriptions) {
        checked.add(subscription("SUBSCRIPTION_ID", value));
      }
      List<SuppressionRule> rules =
          read(ServiceClients.create(settings.clients()).defenderForCloud(), checked, all, err);
      if (common.output == OutputFormat.json) {
        ResultPrinter.printJson(out, rules.stream().map(SuppressionsCommand::row).toList());
        return Main.SUCCEEDED;
      }
      out.printf(
          "%d suppression rule(s)%s%n", rules.size(), all ? "" : " written by the playbooks");
      printText(out, rules);
      out.flush();
      return Main.SUCCEEDED;
    }
  }

  /**
   * The rules of the (checked) subscriptions, only the playbooks' unless {@code all}, at most
   * {@link #MAX_RULES_PER_SUBSCRIPTION} read from each (a warning on {@code err} past that).
   */
  static List<SuppressionRule> read(
      DefenderForCloudClient defender, List<String> subscriptions, boolean all, PrintWriter err) {
    List<SuppressionRule> rules = new ArrayList<>();
    for (String subscription : subscriptions) {
      int read = 0;
      for (SuppressionRule rule : defender.listSuppressionRules(subscription)) {
        if (++read > MAX_RULES_PER_SUBSCRIPTION) {
          err.println(
              "warning: subscription "
                  + subscription
                  + " has more than "
                  + MAX_RULES_PER_SUBSCRIPTION
                  + " rules; the rest are not listed");
          break;
        }
        if (all || SimilarAlertSuppression.isOurs(rule)) {
          rules.add(rule);
        }
      }
    }
    return rules;
  }

  /** Two lines a rule, for people. */
  static void printText(PrintWriter out, List<SuppressionRule> rules) {
    for (SuppressionRule rule : rules) {
      out.printf(
          "  %-50s %-8s %-28s until %s%n",
          rule.name(),
          rule.state(),
          rule.alertType(),
          rule.expiresAt() == null ? "(no expiry)" : rule.expiresAt());
      out.printf(
          "  %-50s subscription %s%s%n",
          "",
          rule.subscriptionId(),
          SimilarAlertSuppression.incidentOf(rule).map(i -> ", incident " + i).orElse(""));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete one suppression rule; alerts it already dismissed stay dismissed.")
  static final class DeleteRule extends SettingsCommand {
    @Parameters(paramLabel = "NAME", description = "The rule's name.")
    String name;

    @Option(
        names = "--subscription",
        required = true,
        paramLabel = "SUBSCRIPTION_ID",
        description = "The subscription the rule is in.")
    String subscription;

    @Option(names = "--dry-run", description = "Say what would be deleted; delete nothing.")
    boolean dryRun;

    @Mixin CommonOptions common;

    @Override
    CommonOptions common() {
      return common;
    }

    @Override
    int run(PlaybookSettings settings, PrintWriter out, PrintWriter err) {
      String checked = subscription("--subscription", subscription);
      try {
        SuppressionRule.checkName(name);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("NAME", e.getMessage());
      }
      DefenderForCloudClient defender =
          ServiceClients.create(settings.clients()).defenderForCloud();
      Optional<SuppressionRule> rule = defender.findSuppressionRule(checked, name);
      if (rule.isEmpty()) {
        throw new BadInputException(
            "NAME", "no suppression rule '" + name + "' in subscription " + checked);
      }
      if (!dryRun) {
        defender.deleteSuppressionRule(checked, name);
      }
      if (common.output == OutputFormat.json) {
        Map<String, Object> row = row(rule.get());
        row.put("deleted", !dryRun);
        ResultPrinter.printJson(out, row);
        return Main.SUCCEEDED;
      }
      out.printf(
          "%s %s: %s%n",
          dryRun ? "Would delete" : "Deleted",
          rule.get().name(),
          SimilarAlertSuppression.describe(rule.get()));
      out.flush();
      return Main.SUCCEEDED;
    }
  }
}
