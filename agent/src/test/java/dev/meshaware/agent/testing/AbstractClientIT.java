package dev.meshaware.agent.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every outbound client keeps with the agent ({@link HttpContract}), called while serving
 * requests of a thread-per-request server (the JDK's) and of an event-loop server (Reactor Netty).
 * A library's client test is a subclass naming its client in {@link TestHttp#clients()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractClientIT {
  private final Map<String, MeshedService> services = new LinkedHashMap<>();

  /** The client's name in {@link TestHttp#clients()}. */
  protected abstract String client();

  /** The servers it is called from. */
  protected List<String> servers() {
    return List.of("jdk", "reactor");
  }

  /** A hook for the child JVM's settings (a library profile, say). */
  protected ChildJvm configure(ChildJvm jvm) {
    return jvm;
  }

  @BeforeAll
  void startServices() throws Exception {
    for (String server : servers()) {
      services.put(server, MeshedService.start(server, configure(HttpContract.serviceJvm())));
    }
  }

  @AfterAll
  void stopServices() throws Exception {
    for (MeshedService service : services.values()) {
      service.close();
    }
  }

  @Test
  void carriesTheExactInboundValuesOnceEach() throws Exception {
    for (Map.Entry<String, MeshedService> each : services.entrySet()) {
      HttpContract.exactValuesOnceEach(each.getValue(), each.getKey(), client());
    }
  }

  @Test
  void aHeaderTheApplicationSetItselfWins() throws Exception {
    for (Map.Entry<String, MeshedService> each : services.entrySet()) {
      HttpContract.applicationSetHeaderWins(each.getValue(), each.getKey(), client());
    }
  }

  @Test
  void anExcludedHostGetsNothing() throws Exception {
    for (Map.Entry<String, MeshedService> each : services.entrySet()) {
      HttpContract.excludedHostGetsNothing(each.getValue(), each.getKey(), client());
    }
  }

  @Test
  void aRequestWithoutHeadersForwardsNoneAfterOthersDid() throws Exception {
    for (Map.Entry<String, MeshedService> each : services.entrySet()) {
      HttpContract.noneForNone(each.getValue(), each.getKey(), client());
    }
  }
}
