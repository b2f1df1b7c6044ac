package dev.meshaware.agent.testing;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every inbound server keeps with the agent ({@link HttpContract}), with every registered
 * client, in one child JVM. A library's server test is a subclass naming its server in {@link
 * TestHttp#servers()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractServerIT {
  private MeshedService service;

  /** The server's name in {@link TestHttp#servers()}. */
  protected abstract String server();

  /** The clients to call out with: every registered one unless a subclass says otherwise. */
  protected List<String> clients() {
    return List.copyOf(TestHttp.clients().keySet());
  }

  /** A hook for the child JVM's settings (a library profile, say). */
  protected ChildJvm configure(ChildJvm jvm) {
    return jvm;
  }

  @BeforeAll
  void startService() throws Exception {
    service = MeshedService.start(server(), configure(HttpContract.serviceJvm()));
  }

  @AfterAll
  void stopService() throws Exception {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void everyClientCarriesTheExactInboundValuesOnceEach() throws Exception {
    for (String client : clients()) {
      HttpContract.exactValuesOnceEach(service, server(), client);
    }
  }

  @Test
  void aHeaderTheApplicationSetItselfWins() throws Exception {
    for (String client : clients()) {
      HttpContract.applicationSetHeaderWins(service, server(), client);
    }
  }

  @Test
  void anExcludedHostGetsNothing() throws Exception {
    for (String client : clients()) {
      HttpContract.excludedHostGetsNothing(service, server(), client);
    }
  }

  @Test
  void aRequestWithoutHeadersForwardsNoneAfterOthersDid() throws Exception {
    for (String client : clients()) {
      HttpContract.noneForNone(service, server(), client);
    }
  }
}
