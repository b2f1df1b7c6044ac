package dev.meshaware.agent.apps;

import dev.meshaware.agent.testing.TestHttp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The servers and clients the agent covered first, for {@link TestHttp}: the JDK's, Tomcat, Jetty
 * 10, Reactor Netty, OkHttp, Apache 4 and 5. Libraries added later register their own providers.
 */
public final class ExistingHttp implements TestHttp.Library {
  @Override
  public Map<String, TestHttp.Server> servers() {
    Map<String, TestHttp.Server> servers = new LinkedHashMap<>();
    servers.put("jdk", handler -> JdkServer.start());
    servers.put("tomcat", handler -> TomcatServer.start());
    servers.put("jetty", handler -> JettyServer.start());
    servers.put("reactor", handler -> ReactorServer.start());
    return servers;
  }

  @Override
  public Map<String, TestHttp.Client> clients() {
    Map<String, TestHttp.Client> clients = new LinkedHashMap<>();
    for (String name :
        new String[] {
          "urlconnection",
          "jdk",
          "jdk-async",
          "okhttp",
          "okhttp-async",
          "apache5",
          "apache5-async",
          "apache4",
          "reactor-netty"
        }) {
      clients.put(name, (url, appSet) -> Clients.call(name, url, appSet));
    }
    return clients;
  }
}
