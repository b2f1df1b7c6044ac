package dev.meshaware.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration key: its name, default, accepted form and how to read it. The same key is read
 * by the agent (system property or env) and bound by the starter (Spring properties).
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {
  private final String key;
  private final String defaultText;
  private final String acceptedForm;
  private final String description;
  private final Function<String, T> parser;

  private Setting(
      String key,
      String defaultText,
      String acceptedForm,
      String description,
      Function<String, T> parser) {
    this.key = key;
    this.defaultText = defaultText;
    this.acceptedForm = acceptedForm;
    this.description = description;
    this.parser = parser;
  }

  /**
   * A setting read by {@code parser}, which throws {@link IllegalArgumentException} for values
   * outside {@code acceptedForm}.
   */
  public static <T> Setting<T> of(
      String key,
      String defaultText,
      String acceptedForm,
      String description,
      Function<String, T> parser) {
    Setting<T> setting = new Setting<>(key, defaultText, acceptedForm, description, parser);
    setting.parse(defaultText); // a default that does not parse is a programming error
    return setting;
  }

  /** {@code true} or {@code false}, any case. */
  public static Setting<Boolean> flag(String key, boolean defaultValue, String description) {
    return of(
        key,
        Boolean.toString(defaultValue),
        "true or false",
        description,
        text -> {
          String value = text.trim().toLowerCase(Locale.ROOT);
          if (value.equals("true")) {
            return Boolean.TRUE;
          }
          if (value.equals("false")) {
            return Boolean.FALSE;
          }
          throw new IllegalArgumentException("not a boolean");
        });
  }

  /** A duration between {@code min} and {@code max} inclusive. */
  public static Setting<Duration> duration(
      String key, String defaultText, Duration min, Duration max, String description) {
    String accepted =
        Durations.ACCEPTED_FORM + ", from " + Durations.text(min) + " to " + Durations.text(max);
    return of(
        key,
        defaultText,
        accepted,
        description,
        text -> {
          Duration value = Durations.parse(text);
          if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        });
  }

  /** One of the constants of {@code type}, written in lower case with dashes, any case accepted. */
  public static <E extends Enum<E>> Setting<E> choice(
      String key, Class<E> type, E defaultValue, String description) {
    StringBuilder accepted = new StringBuilder();
    for (E constant : type.getEnumConstants()) {
      accepted.append(accepted.length() == 0 ? "" : " | ").append(name(constant));
    }
    return of(
        key,
        name(defaultValue),
        "one of " + accepted,
        description,
        text -> {
          String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
          for (E constant : type.getEnumConstants()) {
            if (name(constant).equals(wanted)) {
              return constant;
            }
          }
          throw new IllegalArgumentException("unknown choice");
        });
  }

  /** Free text; an empty default means "not set". */
  public static Setting<String> text(
      String key, String defaultText, String acceptedForm, String description) {
    return of(
        key,
        defaultText,
        acceptedForm,
        description,
        text -> {
          for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
              throw new IllegalArgumentException("contains a control character");
            }
          }
          return text.trim();
        });
  }

  private static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code text}; {@link IllegalArgumentException} when it is not of the accepted form. */
  public T parse(String text) {
    return parser.apply(text);
  }

  public String key() {
    return key;
  }

  /** The environment variable that also sets this key, e.g. {@code MESHAWARE_STARTUP_TIMEOUT}. */
  public String environmentName() {
    return ConfigSource.environmentName(key);
  }

  public String defaultText() {
    return defaultText;
  }

  public String acceptedForm() {
    return acceptedForm;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return key;
  }
}
