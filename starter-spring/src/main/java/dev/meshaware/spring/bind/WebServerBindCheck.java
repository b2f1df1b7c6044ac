package dev.meshaware.spring.bind;

import dev.meshaware.core.bind.BindCheckMode;
import dev.meshaware.core.bind.BindFinding;
import dev.meshaware.core.bind.KeepAlivePolicy;
import dev.meshaware.core.bind.ListenAddressPolicy;
import dev.meshaware.core.log.MeshLog;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Judges each web server when Spring Boot says it listens ({@code WebServerInitializedEvent}).
 *
 * <p>The event moved package in Boot 4.0 ({@code org.springframework.boot.web.context} in 3.5,
 * {@code org.springframework.boot.web.server.context} in 4.0), and the starter is one jar for both,
 * so it listens to every application event and recognises that one by its class name, reading the
 * server's port reflectively; the event is published once per server, so the cost is nil. The same
 * moment compares the server's idle keep-alive timeout with the sidecar's ({@link
 * KeepAlivePolicy}).
 */
final class WebServerBindCheck implements ApplicationListener<ApplicationEvent> {
  private static final Set<String> EVENT_TYPES =
      Set.of(
          "org.springframework.boot.web.context.WebServerInitializedEvent",
          "org.springframework.boot.web.server.context.WebServerInitializedEvent");

  private final ListenAddressPolicy policy;

  /**
   * A management server in a child context publishes its event there and again in the parent, so
   * each server is judged once.
   */
  private final Set<Object> judged = Collections.newSetFromMap(new IdentityHashMap<>());

  private final Map<String, String> listeners = Collections.synchronizedMap(new LinkedHashMap<>());

  /**
   * @param policy null: the check is off (or the agent's), nothing is judged
   */
  WebServerBindCheck(ListenAddressPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (policy == null || !isWebServerInitialized(event.getClass())) {
      return;
    }
    try {
      Object server = invoke(event, "getWebServer");
      synchronized (judged) {
        if (!judged.add(server)) {
          return;
        }
      }
      ApplicationContext context = (ApplicationContext) invoke(event, "getApplicationContext");
      String namespace = (String) invoke(context, "getServerNamespace");
      int port = (Integer) invoke(server, "getPort");
      judge(context.getEnvironment(), namespace, port);
      compareIdleTimeout(server, port, context.getEnvironment());
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (e instanceof BindRefusedException) {
        throw (BindRefusedException) e;
      }
      MeshLog.warn("could not check the web server's listen address: " + e);
    }
  }

  private void judge(Environment environment, String namespace, int port) {
    if (port < 0) {
      return; // not listening (Boot says -1), e.g. a server that shares the main one
    }
    // The management server is configured under management.server.*, the main one under server.*
    String prefix = "management".equals(namespace) ? "management.server" : "server";
    String addressText = environment.getProperty(prefix + ".address");
    Integer configuredPort = environment.getProperty(prefix + ".port", Integer.class);
    InetAddress address = resolve(addressText);
    // A port the system picked (port 0) is no Service's target, as for the agent's own check.
    int judgedPort = configuredPort != null && configuredPort == 0 ? 0 : port;
    BindFinding finding = policy.classify(address, judgedPort);
    String shown = addressText == null || addressText.isBlank() ? "0.0.0.0" : addressText.trim();
    listeners.put(
        shown + ":" + port, finding.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (!finding.verdict().isProblem()) {
      return;
    }
    String boundAt =
        "Spring Boot's "
            + (prefix.equals("server") ? "web server" : "management server")
            + ", "
            + prefix
            + ".address="
            + (address == null ? "(unset)" : shown);
    if (policy.mode() == BindCheckMode.FAIL) {
      String message = "refused to serve (meshaware.bind.check=fail): " + finding.message(boundAt);
      MeshLog.error(message);
      throw new BindRefusedException(MeshLog.PREFIX + message);
    }
    if (finding.verdict().isError()) {
      MeshLog.error(finding.message(boundAt));
    } else {
      MeshLog.warn(finding.message(boundAt));
    }
  }

  /**
   * The keep-alive comparison where a sidecar may be: one line when the server closes idle
   * connections before the sidecar, both numbers in the listeners either way.
   */
  private void compareIdleTimeout(Object server, int port, Environment environment)
      throws ReflectiveOperationException {
    KeepAlivePolicy keepAlive = policy.keepAlive();
    if (keepAlive == null || port <= 0) {
      return;
    }
    WebServerIdleTimeout idle = WebServerIdleTimeout.of(server, port, environment);
    if (idle == null) {
      return;
    }
    listeners.put(
        "port " + port + " idle timeout", keepAlive.reportText(idle.server, idle.timeout));
    String message = keepAlive.message(idle.server, port, idle.timeout);
    if (message != null) {
      MeshLog.info(message);
    }
  }

  /** False when the check is off here (no sidecar possible, switched off, the agent's). */
  boolean isActive() {
    return policy != null;
  }

  /** The servers judged so far, {@code address:port} to verdict, for the actuator endpoint. */
  Map<String, String> listeners() {
    synchronized (listeners) {
      return new LinkedHashMap<>(listeners);
    }
  }

  /** Null (all addresses) when unset or unresolvable: the server itself reports a bad address. */
  private static InetAddress resolve(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return InetAddress.getByName(text.trim());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static boolean isWebServerInitialized(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (EVENT_TYPES.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }

  private static Object invoke(Object target, String name) throws ReflectiveOperationException {
    Method method = target.getClass().getMethod(name);
    method.setAccessible(true);
    return method.invoke(target);
  }

  /** Stops the application's start in {@code fail} mode, as the agent refuses the bind. */
  static final class BindRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    BindRefusedException(String message) {
      super(message);
    }
  }
}
