package dev.meshaware.agent.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The one place the tests learn which HTTP servers and clients exist: every {@link Library} on the
 * test class path (registered in {@code
 * META-INF/services/dev.meshaware.agent.testing.TestHttp$Library}) names its servers and clients,
 * and the matrix, the abstract server and client tests and the service application all read them
 * from here. A new library is one provider here plus one test subclass.
 */
public final class TestHttp {
  private TestHttp() {}

  /** Calls {@code url} once, as an application does; answers the status. */
  @FunctionalInterface
  public interface Client {
    /** With {@code appSetSpanId}, the application sets {@code x-b3-spanid} itself. */
    int call(String url, String appSetSpanId) throws Exception;
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port; answers the port. */
  @FunctionalInterface
  public interface Server {
    /**
     * Every request to any path is answered with {@code handler.apply(queryString)} (null query:
     * none), status 200, text body.
     */
    int start(Function<String, String> handler) throws Exception;
  }

  /** One library's servers and clients, by the names the tests use. */
  public interface Library {
    default Map<String, Server> servers() {
      return Map.of();
    }

    default Map<String, Client> clients() {
      return Map.of();
    }
  }

  /** The header an application sets itself in the tests, to see that it wins. */
  public static final String APP_SET_HEADER = "x-b3-spanid";

  private static volatile Map<String, Server> servers;
  private static volatile Map<String, Client> clients;

  /** Every server, by name, in class-path order. */
  public static Map<String, Server> servers() {
    if (servers == null) {
      Map<String, Server> all = new LinkedHashMap<>();
      for (Library library : ServiceLoader.load(Library.class)) {
        all.putAll(library.servers());
      }
      servers = all;
    }
    return servers;
  }

  /** Every client, by name, in class-path order. */
  public static Map<String, Client> clients() {
    if (clients == null) {
      Map<String, Client> all = new LinkedHashMap<>();
      for (Library library : ServiceLoader.load(Library.class)) {
        all.putAll(library.clients());
      }
      clients = all;
    }
    return clients;
  }
}
