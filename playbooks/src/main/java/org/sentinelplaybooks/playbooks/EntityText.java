package org.sentinelplaybooks.playbooks;

/**
 * Text that may come from an attacker (entity names, addresses, user names, service messages), made
 * safe to write where people read it. In a log line no character may start a new line or hide what
 * follows; in an incident comment, which the portal renders as HTML and markdown, no tag, link or
 * image may be forged. Both stay readable: a control shows as {@code \\u000a}, a tag as {@code <b>}
 * in the rendered comment.
 */
final class EntityText {
  private EntityText() {}

  /**
   * One log line's worth: control characters, line and paragraph separators and the bidirectional
   * overrides and isolates (which reorder what a reader sees) as {@code \\uXXXX}.
   */
  static String forLog(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (hidden(c)) {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * For an incident comment: {@code &}, {@code <} and {@code >} as HTML entities (shown as
   * themselves, never a tag), the markdown that makes a link, an image or code ({@code [ ] ` !},
   * and the backslash itself) escaped with a backslash, then {@link #forLog}.
   */
  static String forComment(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '[', ']', '`', '!', '\\' -> escaped.append('\\').append(c);
        default -> escaped.append(c);
      }
    }
    return forLog(escaped.toString());
  }

  private static boolean hidden(char c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f';
  }
}
