package dev.meshaware.spring;

import dev.meshaware.core.config.ConfigSource;
import dev.meshaware.core.config.Setting;
import java.util.Optional;
import java.util.StringJoiner;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Core's {@link ConfigSource} over Spring's environment: the agent's {@code meshaware.*} keys, read
 * from every place Spring reads properties (system properties, {@code MESHAWARE_*} environment
 * variables, {@code application.properties}/{@code yaml}, profiles...) in Spring's order. Spring
 * only finds the raw text; core parses and validates it, so a value means exactly what it means to
 * the agent and a bad one is reported the same way (naming where it came from).
 */
public final class SpringConfigSource implements ConfigSource {
  private final ConfigurableEnvironment environment;

  public SpringConfigSource(ConfigurableEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Optional<RawValue> lookup(String key) {
    ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      ConfigurationProperty property = source.getConfigurationProperty(name);
      if (property != null && property.getValue() != null) {
        return Optional.of(new RawValue(String.valueOf(property.getValue()), origin(property)));
      }
      Optional<RawValue> list = indexed(source, name);
      if (list.isPresent()) {
        return list;
      }
    }
    return Optional.empty();
  }

  /**
   * A YAML list ({@code extra-headers: [end-user, x-tenant]}) reaches Spring as {@code key[0]},
   * {@code key[1]}...; core reads lists as comma-separated text.
   */
  private static Optional<RawValue> indexed(
      ConfigurationPropertySource source, ConfigurationPropertyName name) {
    StringJoiner text = new StringJoiner(",");
    String origin = null;
    for (int index = 0; ; index++) {
      ConfigurationProperty item = source.getConfigurationProperty(name.append("[" + index + "]"));
      if (item == null || item.getValue() == null) {
        break;
      }
      text.add(String.valueOf(item.getValue()));
      origin = origin == null ? origin(item) : origin;
    }
    return origin == null ? Optional.empty() : Optional.of(new RawValue(text.toString(), origin));
  }

  private static String origin(ConfigurationProperty property) {
    Origin origin = property.getOrigin();
    return origin != null ? origin.toString() : "Spring property " + property.getName();
  }

  /**
   * Facts about the process ({@code KUBERNETES_SERVICE_HOST}) come from the process environment as
   * Spring holds it, never from application properties.
   */
  @Override
  public String environment(String name) {
    PropertySource<?> variables =
        environment
            .getPropertySources()
            .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    Object value = variables != null ? variables.getProperty(name) : System.getenv(name);
    return value != null ? value.toString() : null;
  }

  /**
   * The value of {@code setting} without reporting anything: the default when unset or invalid. For
   * conditions, which Spring may evaluate many times; the settings bean reports bad values once.
   */
  public <T> T valueOf(Setting<T> setting) {
    Optional<RawValue> raw = lookup(setting.key());
    if (raw.isPresent()) {
      try {
        return setting.parse(raw.get().text());
      } catch (RuntimeException invalid) {
        // reported by MeshawareSettings.load
      }
    }
    return setting.parse(setting.defaultText());
  }
}
