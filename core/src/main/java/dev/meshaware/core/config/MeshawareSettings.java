package dev.meshaware.core.config;

import dev.meshaware.core.log.MeshLog;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one process, read once and never changed. A bad value never stops the
 * application: it is reported in one line naming the key, the value and the accepted form, and the
 * default is used instead.
 */
public final class MeshawareSettings {
  private final Map<Setting<?>, Object> values;
  private final ConfigSource source;

  private MeshawareSettings(Map<Setting<?>, Object> values, ConfigSource source) {
    this.values = Collections.unmodifiableMap(values);
    this.source = source;
  }

  /** Reads every key in {@link MeshawareKeys#ALL} from the system properties and environment. */
  public static MeshawareSettings fromSystem() {
    return load(ConfigSource.system());
  }

  /** Reads every key in {@link MeshawareKeys#ALL} from {@code source}, reporting bad values. */
  public static MeshawareSettings load(ConfigSource source) {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    for (Setting<?> setting : MeshawareKeys.ALL) {
      values.put(setting, read(setting, source));
    }
    return new MeshawareSettings(values, source);
  }

  private static Object read(Setting<?> setting, ConfigSource source) {
    Optional<ConfigSource.RawValue> raw = source.lookup(setting.key());
    if (raw.isPresent()) {
      String text = raw.get().text();
      try {
        return setting.parse(text);
      } catch (RuntimeException e) {
        MeshLog.warn(
            setting.key()
                + "='"
                + printable(text)
                + "' (from "
                + raw.get().origin()
                + ") is not valid: "
                + e.getMessage()
                + "; accepted: "
                + setting.acceptedForm()
                + "; using the default '"
                + setting.defaultText()
                + "'");
      }
    }
    return setting.parse(setting.defaultText());
  }

  /** Shows a bad value safely in a log line: control characters escaped, length capped. */
  private static String printable(String text) {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < text.length() && shown.length() < 200; i++) {
      char c = text.charAt(i);
      shown.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return text.length() > 200 ? shown + "..." : shown.toString();
  }

  /** The value of {@code setting}: as configured, or its default. */
  public <T> T get(Setting<T> setting) {
    @SuppressWarnings("unchecked")
    T value = (T) values.get(setting);
    if (value == null && !values.containsKey(setting)) {
      throw new IllegalArgumentException("unknown setting " + setting.key());
    }
    return value;
  }

  /**
   * The value of a setting outside {@link MeshawareKeys#ALL}, one whose key is made from a name
   * ({@code meshaware.instrumentation.<library>.enabled}): read now, a bad value reported as for
   * every other key.
   */
  public <T> T read(Setting<T> setting) {
    if (values.containsKey(setting)) {
      return get(setting);
    }
    @SuppressWarnings("unchecked")
    T value = (T) read(setting, source);
    return value;
  }

  /** Where keys beginning with {@code keyPrefix} are set; see {@link ConfigSource}. */
  public java.util.List<String> keysStartingWith(String keyPrefix) {
    return source.keysStartingWith(keyPrefix);
  }

  /** Whether {@code setting} was given explicitly (system property or env), even if invalid. */
  public boolean isExplicit(Setting<?> setting) {
    return source.lookup(setting.key()).isPresent();
  }

  /**
   * A fact of the process environment that is not a setting, e.g. {@code KUBERNETES_SERVICE_HOST}.
   */
  public String environment(String name) {
    return source.environment(name);
  }
}
