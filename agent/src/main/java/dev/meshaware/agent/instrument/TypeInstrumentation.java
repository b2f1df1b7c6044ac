package dev.meshaware.agent.instrument;

import java.util.Collections;
import java.util.List;

/**
 * One instrumented class (or a few classes of one shape): which types, which methods, which advice.
 * Implementations hold their advice as {@code public static} nested classes whose methods carry
 * {@code suppress = Throwable.class}, so the application never sees an agent exception.
 */
public interface TypeInstrumentation {

  /** A short name for log lines, e.g. {@code okhttp}. */
  String name();

  /** Binary names of the classes to instrument; matched by name only, which is cheap. */
  List<String> typeNames();

  /** The advice to apply to each of {@link #typeNames()}. */
  List<AdviceSpec> advice();

  /**
   * Binary names of agent classes to define in the class loader of each instrumented class before
   * it is loaded, for code that must implement or extend the library's own types (a gRPC
   * interceptor, say) and so can live neither in the bootstrap loader nor in the agent's. They may
   * use only the library, core and the JDK, must not extend one another, and are named as strings
   * so that the agent never loads them itself.
   */
  default List<String> auxiliaryTypes() {
    return Collections.emptyList();
  }

  /**
   * The binary name of a class the instrumented library has in every version, beside the targets of
   * the versions this instrumentation knows (e.g. the library's public API type), or null. When
   * that class is visible and none of {@link #typeNames()} is, the library has moved the code the
   * advice needs: the startup report says so rather than let the library look covered.
   */
  default String presentWith() {
    return null;
  }

  /**
   * Binary names of JDK classes whose load announces that this instrumentation's JDK targets will
   * load soon (the public API type the application calls first, say): their load has the targets
   * woven on the agent's background thread, so that the application's own thread finds them ready.
   */
  default List<String> announcedBy() {
    return Collections.emptyList();
  }
}
