package org.sentinelplaybooks.playbooks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Entity text (an account name, a host, a service's message) cannot forge the audit comment's
 * content: no new line, no tag, no link or image; and it stays readable.
 */
class AuditCommentEscapingTest {
  static final String FORGED_LINE = "alice\n- revoke done: all sessions revoked";
  static final String TAG = "<img src=x onerror=alert(1)>";
  static final String LINK = "[reset here](https://collector.example.net)";

  @Test
  void entityTextInDetailsTargetsAndHeadlinesIsEscapedAndReadable() {
    String message =
        AuditComment.message(
            "confirm-risky-user",
            List.of(
                ActionResult.of("user:" + TAG, "revoke", Outcome.FAILED, FORGED_LINE),
                ActionResult.of("user:bob", "reset", Outcome.REFUSED, LINK + " \u202egnp.exe")),
            List.of("Accounts: " + TAG, "second line of the playbook's own"));
    List<String> lines = List.of(message.split("\n", -1));
    assertEquals(5, lines.size(), message);
    assertEquals("[sentinel-playbooks] confirm-risky-user", lines.get(0));
    assertEquals("Accounts: &lt;img src=x onerror=alert(1)&gt;", lines.get(1));
    assertEquals("second line of the playbook's own", lines.get(2));
    assertEquals(
        "- revoke failed: alice\\u000a- revoke done: all sessions revoked"
            + " [user:&lt;img src=x onerror=alert(1)&gt;]",
        lines.get(3));
    assertEquals(
        "- reset refused: \\[reset here\\](hxxps://collector.example.net) \\u202egnp.exe [user:bob]",
        lines.get(4));
    assertFalse(message.contains("<img"), message);
  }

  @Test
  void aLineBreakInsideAHeadlineLineCannotForgeAnActionLine() {
    String message =
        AuditComment.message(
            "create-ticket",
            List.of(),
            List.of("INC1\n- close done: closed as FalsePositive", "Comment: ok\r\n- x done: y"));
    List<String> lines = List.of(message.split("\n", -1));
    assertEquals(3, lines.size(), message);
    assertEquals("INC1\\u000a- close done: closed as FalsePositive", lines.get(1));
    assertEquals("Comment: ok\\u000d\\u000a- x done: y", lines.get(2));
  }

  @Test
  void invisibleCharactersShowAndBareAddressesAreNoLinks() {
    assertEquals(
        "pay\\u200bpal \\u200d\\u2060\\ufeff\\u061c\\u2067 see hxxps://evil.example/x,"
            + " hxxp://a.example, hxxps://b.example, fxp://c.example",
        EntityText.forComment(
            "pay\u200bpal \u200d\u2060\ufeff\u061c\u2067 see https://evil.example/x,"
                + " http://a.example, HTTPS://b.example, ftp://c.example"));
  }

  @Test
  void logTextKeepsMarkupButNotLineBreaksOrDirectionOverrides() {
    assertEquals(
        "alice\\u000d\\u000a[INFO] forged \\u202e<b>",
        EntityText.forLog("alice\r\n[INFO] forged \u202e<b>"));
    assertTrue(EntityText.forComment("a & b").equals("a &amp; b"));
  }
}
