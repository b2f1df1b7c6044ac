package dev.meshaware.agent.instrument;

import java.util.Collections;
import java.util.List;

/**
 * Everything the agent does for one library, in one place: where its servers capture a request's
 * headers, where its clients add them, where its callbacks carry them, and where its calls are
 * watched for mesh failures. One switch turns it all off: {@code
 * meshaware.instrumentation.<name>.enabled=false}.
 */
public interface Library {

  /**
   * The switch's name, lower case letters, digits and dashes ({@code netty}, {@code jetty-client}):
   * {@code meshaware.instrumentation.<name>.enabled}.
   */
  String name();

  /** What it covers, for the startup report and the README: {@code Netty 4.1 and 4.2 HTTP}. */
  String covers();

  /** Servers: where a request's headers are captured and the request is counted for the drain. */
  default List<TypeInstrumentation> inbound() {
    return Collections.emptyList();
  }

  /** Clients: where the current headers are added to outbound calls. */
  default List<TypeInstrumentation> outbound() {
    return Collections.emptyList();
  }

  /** Callbacks, event loops and executors: where the headers travel with the work. */
  default List<TypeInstrumentation> threadHops() {
    return Collections.emptyList();
  }

  /** Clients whose answers are checked for failures the sidecar generated. */
  default List<TypeInstrumentation> diagnostics() {
    return Collections.emptyList();
  }
}
