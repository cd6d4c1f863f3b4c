package org.sentinelplaybooks.playbooks.identity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sentinelplaybooks.playbooks.core.BadInputException;
import org.sentinelplaybooks.playbooks.core.PlaybookOptions;
import org.sentinelplaybooks.playbooks.core.PlaybookRequest;
import org.sentinelplaybooks.playbooks.core.PlaybookSettings;

/**
 * The options of a confirm-risky-user run: the accounts to act on instead of the incident's (empty
 * for those), each a user object id or user principal name, once each; and which actions, in order
 * ({@code IDENTITY_ACTIONS} by default).
 */
public record ConfirmRiskyUserOptions(List<String> users, List<String> actions)
    implements PlaybookOptions {
  static final String USERS = "users";
  static final String ACTIONS = "actions";

  public ConfirmRiskyUserOptions {
    users = List.copyOf(users);
    actions = List.copyOf(actions);
  }

  /** The options in a request body. */
  public static ConfirmRiskyUserOptions of(PlaybookRequest request, PlaybookSettings settings) {
    return new ConfirmRiskyUserOptions(
        users(request.node(USERS), settings), actions(request.node(ACTIONS), settings));
  }

  /**
   * The options as given (the CLI's flags; null for none named); bad input names the body's field.
   */
  public static ConfirmRiskyUserOptions of(
      List<String> users, List<String> actions, PlaybookSettings settings) {
    return new ConfirmRiskyUserOptions(
        users == null ? List.of() : checkedUsers(users, settings),
        actions == null ? settings.identity().defaultActions() : checkedActions(actions));
  }

  @Override
  public String playbook() {
    return ConfirmRiskyUserPlaybook.NAME;
  }

  private static List<String> users(JsonNode users, PlaybookSettings settings) {
    if (users == null) {
      return List.of();
    }
    if (!users.isArray()) {
      throw new BadInputException(
          USERS, "must be a list of user object ids or user principal names");
    }
    checkCount(users.size(), settings);
    List<String> given = new ArrayList<>();
    for (JsonNode user : users) {
      if (!user.isTextual()) {
        throw notAUser(user.toString());
      }
      given.add(user.asText());
    }
    return checkedUsers(given, settings);
  }

  private static List<String> checkedUsers(List<String> given, PlaybookSettings settings) {
    checkCount(given.size(), settings);
    List<String> list = new ArrayList<>();
    for (String user : given) {
      String value = user.trim();
      if (!ConfirmRiskyUserPlaybook.GUID.matcher(value).matches()
          && !ConfirmRiskyUserPlaybook.UPN.matcher(value).matches()) {
        throw notAUser(user);
      }
      if (list.stream().noneMatch(value::equalsIgnoreCase)) {
        list.add(value);
      }
    }
    return list;
  }

  private static BadInputException notAUser(String shown) {
    return new BadInputException(
        USERS, "'" + shown + "' is neither a user object id nor a user principal name");
  }

  private static void checkCount(int count, PlaybookSettings settings) {
    int cap = settings.identity().maxUsers();
    if (count > cap) {
      throw new BadInputException(
          USERS,
          "names "
              + count
              + " users; at most "
              + cap
              + " a run ("
              + IdentitySettings.IDENTITY_MAX_USERS
              + ")");
    }
  }

  private static List<String> actions(JsonNode node, PlaybookSettings settings) {
    if (node == null) {
      return settings.identity().defaultActions();
    }
    List<String> given = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(a -> given.add(a.asText()));
    } else if (node.isTextual()) {
      given.addAll(Arrays.asList(node.asText().split(",")));
    } else {
      throw new BadInputException(
          ACTIONS, "must be a list such as [\"confirm\", \"revoke\", \"reset\"]");
    }
    return checkedActions(given);
  }

  private static List<String> checkedActions(List<String> given) {
    List<String> actions = new ArrayList<>();
    for (String action : given) {
      String name = action.trim().toLowerCase(Locale.ROOT);
      if (!IdentitySettings.ACTIONS.contains(name)) {
        throw new BadInputException(
            ACTIONS,
            "'"
                + action.trim()
                + "' is not an action; expected "
                + String.join(", ", IdentitySettings.ACTIONS));
      }
      if (!actions.contains(name)) {
        actions.add(name);
      }
    }
    return actions;
  }
}
