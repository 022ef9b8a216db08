package io.tinyforge.model;

/**
 * Makes names read from a model file (tensor names, custom op codes) safe to print in a one-line message: control
 * characters, line and paragraph separators and bidirectional overrides are escaped (backslash, then x and two hex
 * digits, or u and four); everything else, including non-ASCII letters, is kept.
 */
public final class Names {
  private Names() {}

  public static String printable(String name) {
    if (name == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (needsEscape(c)) {
        if (sb == null) {
          sb = new StringBuilder(name.length() + 16).append(name, 0, i);
        }
        sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? name : sb.toString();
  }

  private static boolean needsEscape(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
