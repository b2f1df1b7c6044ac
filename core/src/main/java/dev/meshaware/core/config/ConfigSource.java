package dev.meshaware.core.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where raw setting values come from. The process-wide source reads a key {@code meshaware.a.b}
 * from the system property of that name, else from the environment variable {@code MESHAWARE_A_B}.
 * The starter supplies its own source backed by Spring's environment.
 */
public interface ConfigSource {

  /** The raw text for {@code key} and where it came from, or empty when the key is not set. */
  Optional<RawValue> lookup(String key);

  /**
   * A fact about the process environment that is not a meshaware setting, such as {@code
   * KUBERNETES_SERVICE_HOST}; null when unset.
   */
  String environment(String name);

  /**
   * Where keys beginning with {@code keyPrefix} are set, for keys made of a name the application
   * chooses ({@code meshaware.instrumentation.<library>.enabled}): system property keys as written,
   * environment variables as {@code env NAME}. Empty when the source cannot list its keys.
   */
  default java.util.List<String> keysStartingWith(String keyPrefix) {
    return java.util.Collections.emptyList();
  }

  /** A raw value and a human-readable origin, e.g. {@code env MESHAWARE_STARTUP_TIMEOUT}. */
  final class RawValue {
    private final String text;
    private final String origin;

    public RawValue(String text, String origin) {
      this.text = text;
      this.origin = origin;
    }

    public String text() {
      return text;
    }

    public String origin() {
      return origin;
    }
  }

  /** The environment variable that carries {@code key}: dots and dashes become underscores. */
  static String environmentName(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** System properties first, then environment variables, as the JVM sees them now. */
  static ConfigSource system() {
    return of(System.getProperties(), System.getenv());
  }

  /** A source over fixed maps, in the same precedence as {@link #system()}. */
  static ConfigSource of(Map<?, ?> properties, Map<String, String> environment) {
    return new ConfigSource() {
      @Override
      public Optional<RawValue> lookup(String key) {
        Object property = properties.get(key);
        if (property != null) {
          return Optional.of(new RawValue(property.toString(), "system property " + key));
        }
        String envName = environmentName(key);
        String fromEnv = environment.get(envName);
        if (fromEnv != null) {
          return Optional.of(new RawValue(fromEnv, "env " + envName));
        }
        return Optional.empty();
      }

      @Override
      public String environment(String name) {
        return environment.get(name);
      }

      @Override
      public java.util.List<String> keysStartingWith(String keyPrefix) {
        java.util.List<String> found = new java.util.ArrayList<>();
        for (Object key : properties.keySet().toArray()) {
          if (key instanceof String && ((String) key).startsWith(keyPrefix)) {
            found.add((String) key);
          }
        }
        String envPrefix = environmentName(keyPrefix);
        for (String name : environment.keySet()) {
          if (name.startsWith(envPrefix)) {
            found.add("env " + name);
          }
        }
        java.util.Collections.sort(found);
        return found;
      }
    };
  }
}
