package org.sentinelplaybooks.playbooks.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text that may come from an attacker (entity names, addresses, user names, service messages), made
 * safe to write where people read it. In a log line no character may start a new line or hide what
 * follows; in an incident comment, which the portal renders as HTML and markdown, no tag, link or
 * image may be forged. Both stay readable: a control shows as {@code \\u000a}, a tag as {@code <b>}
 * in the rendered comment.
 */
public final class EntityText {
  private static final Pattern SCHEME =
      Pattern.compile("(https?|ftp)://", Pattern.CASE_INSENSITIVE);

  private EntityText() {}

  /**
   * One log line's worth: control characters, line and paragraph separators and the bidirectional
   * overrides and isolates (which reorder what a reader sees) as {@code \\uXXXX}.
   */
  public static String forLog(String text) {
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
   * and the backslash itself) escaped with a backslash, a URL's scheme defanged ({@code hxxps://},
   * so no bare address becomes a link a reader may click), then {@link #forLog}.
   */
  static String forComment(String text) {
    if (text == null) {
      return null;
    }
    String defanged = defanged(text);
    StringBuilder escaped = new StringBuilder(defanged.length());
    for (int i = 0; i < defanged.length(); i++) {
      char c = defanged.charAt(i);
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

  /**
   * {@code http}, {@code https} and {@code ftp} schemes as {@code hxxp}, {@code hxxps}, {@code
   * fxp}.
   */
  private static String defanged(String text) {
    return SCHEME
        .matcher(text)
        .replaceAll(
            m -> {
              String scheme = m.group(1).toLowerCase(Locale.ROOT);
              return (scheme.equals("ftp") ? "fxp" : "hxxp" + scheme.substring(4)) + "://";
            });
  }

  /**
   * Characters that hide or reorder what follows: controls, line and paragraph separators, the
   * zero-width ones (U+200B to U+200D, U+2060 to U+2064, U+FEFF), and the bidirectional marks,
   * embeddings, overrides and isolates (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069,
   * U+061C).
   */
  private static boolean hidden(char c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u200b' && c <= '\u200f')
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2060' && c <= '\u2069')
        || c == '\ufeff'
        || c == '\u061c';
  }
}
