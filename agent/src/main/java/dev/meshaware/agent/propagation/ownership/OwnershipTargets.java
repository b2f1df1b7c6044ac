package dev.meshaware.agent.propagation.ownership;

import dev.meshaware.agent.propagation.ownership.OwnershipPlan.Registration;
import dev.meshaware.agent.propagation.ownership.OwnershipPlan.RunSites;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Which classes take part in work ownership, and how. The JDK's executors, pools, futures and
 * timers are named (their internals are known per JDK version and checked by tests on 17 and 25);
 * every other executor is recognised by its type when it loads: a class that directly implements
 * {@code Executor}, {@code ExecutorService} or {@code ScheduledExecutorService}, or directly
 * extends one of the JDK's executors, plus a few library executors that do so further up their
 * hierarchy. Such an executor registers what it is given ({@code execute}, {@code submit}, {@code
 * schedule*}) and runs each task it drains from its own queue, in its own code or its nested
 * classes, under that task's owner: a serial executor, gRPC's {@code SerializingExecutor} or
 * Guava's sequential executor run each queued task as the request that queued it.
 */
final class OwnershipTargets {
  private static final String JUC = "java/util/concurrent/";

  /** Library executors whose {@code Executor} type is inherited, not declared. */
  private static final Set<String> LIBRARY_EXECUTORS =
      Set.of("io/netty/util/concurrent/SingleThreadEventExecutor");

  /**
   * Never recognised as executors: the JDK's internals, and servlet containers whose own pools run
   * the code ahead of meshaware's entry point (Jetty's filters run before {@code
   * HttpServlet.service}): a container task registered while one request is served could carry that
   * request into the next one's filters. Their workers never inherit either way.
   */
  private static final String[] NOT_EXECUTORS = {
    "dev/meshaware/", "jdk/", "sun/", "com/sun/", "org/eclipse/jetty/", "io/undertow/", "org/xnio/"
  };

  private static final Set<String> EXECUTOR_TYPES =
      Set.of(JUC + "Executor", JUC + "ExecutorService", JUC + "ScheduledExecutorService");

  private static final Set<String> EXECUTOR_SUPERS =
      Set.of(
          JUC + "AbstractExecutorService",
          JUC + "ThreadPoolExecutor",
          JUC + "ScheduledThreadPoolExecutor",
          JUC + "ForkJoinPool");

  private static final byte[] EXECUTOR = ascii("Executor");
  private static final byte[] POOL = ascii("ForkJoinPool");

  private static final OwnershipPlan GENERIC =
      new OwnershipPlan(RunSites.TASK, OwnershipTargets::executorMethod, false, true);
  private static final OwnershipPlan NESTED_IN_EXECUTOR =
      new OwnershipPlan(RunSites.TASK, OwnershipPlan.NO_REGISTRATIONS, false, true);

  /** Runs what its executor refused, on the submitting thread, which already holds its scope. */
  private static final OwnershipPlan CALLER_RUNS =
      new OwnershipPlan(RunSites.INNER, OwnershipPlan.NO_REGISTRATIONS, false);

  /** Netty's scheduler: its periodic methods submit periodic work through {@code execute}. */
  private static final String NETTY_SCHEDULER =
      "io/netty/util/concurrent/AbstractScheduledEventExecutor";

  private static final OwnershipPlan NETTY_PERIODIC =
      new OwnershipPlan(
          RunSites.KEEP,
          (name, descriptor, access) ->
              (name.equals("scheduleAtFixedRate") || name.equals("scheduleWithFixedDelay"))
                  ? Registration.PERIODIC_EXTENT
                  : Registration.NONE,
          false);

  private static final Map<String, OwnershipPlan> JDK =
      Map.of(
          JUC + "ThreadPoolExecutor",
          new OwnershipPlan(
              RunSites.TASK,
              (name, descriptor, access) -> {
                if (!descriptor.startsWith("(Ljava/lang/Runnable;)")) {
                  return Registration.NONE;
                }
                switch (name) {
                  case "execute":
                    return Registration.SUBMIT_ARGUMENT;
                  case "reject": // refused: the handler runs it inline or drops it
                  case "remove": // taken back by the application
                    return Registration.RELEASE_ARGUMENT;
                  default:
                    return Registration.NONE;
                }
              },
              false),
          JUC + "ThreadPoolExecutor$CallerRunsPolicy",
          CALLER_RUNS,
          JUC + "ScheduledThreadPoolExecutor",
          new OwnershipPlan(
              RunSites.KEEP,
              (name, descriptor, access) ->
                  name.equals("delayedExecute")
                          && descriptor.equals("(L" + JUC + "RunnableScheduledFuture;)V")
                      ? Registration.SCHEDULED_FUTURE
                      : Registration.NONE,
              false),
          JUC + "ForkJoinPool",
          new OwnershipPlan(RunSites.KEEP, OwnershipTargets::executorMethod, false),
          JUC + "ForkJoinTask",
          new OwnershipPlan(
              RunSites.KEEP,
              (name, descriptor, access) -> {
                if (name.equals("fork") && descriptor.equals("()L" + JUC + "ForkJoinTask;")) {
                  return Registration.SUBMIT_THIS;
                }
                // doExec catches whatever exec() throws: its returns end the task's scope
                return name.equals("doExec") && descriptor.startsWith("()")
                    ? Registration.RUN_THIS
                    : Registration.NONE;
              },
              false),
          JUC + "CompletableFuture",
          new OwnershipPlan(RunSites.KEEP, OwnershipPlan.NO_REGISTRATIONS, true),
          JUC + "CompletableFuture$Completion",
          new OwnershipPlan(
              RunSites.KEEP,
              (name, descriptor, access) ->
                  name.equals("<init>") ? Registration.DEFINE_THIS : Registration.NONE,
              true),
          JUC + "CompletableFuture$DelayedExecutor",
          new OwnershipPlan(RunSites.KEEP, OwnershipTargets::executorMethod, false),
          "java/util/Timer",
          new OwnershipPlan(
              RunSites.KEEP,
              (name, descriptor, access) ->
                  name.equals("sched") && descriptor.equals("(Ljava/util/TimerTask;JJ)V")
                      ? Registration.TIMER_TASK
                      : Registration.NONE,
              false),
          "java/util/TimerThread",
          NESTED_IN_EXECUTOR);

  /**
   * A parallel stream over Kafka's {@code ConsumerRecords} splits it by reading a batch of records
   * from its iterator ({@code IteratorSpliterator.trySplit}) on one thread, then processes them on
   * several: the records handed out there are read ahead of their processing, and none may become
   * current. A JDK class every application loads before {@code premain}: rewritten with these plain
   * calls, so that it never needs the advice engine.
   */
  static final String READ_AHEAD = "java/util/Spliterators$IteratorSpliterator";

  private static final OwnershipPlan READ_AHEAD_PLAN =
      new OwnershipPlan(
          RunSites.KEEP,
          (name, descriptor, access) ->
              name.equals("trySplit") && descriptor.equals("()Ljava/util/Spliterator;")
                  ? Registration.READ_AHEAD_EXTENT
                  : Registration.NONE,
          false);

  private static final OwnershipPlan STAGE =
      new OwnershipPlan(RunSites.KEEP, OwnershipPlan.NO_REGISTRATIONS, true);

  /** The JDK's adapters of a task to a fork/join task: made where the task is handed over. */
  private static final OwnershipPlan ADAPTER =
      new OwnershipPlan(
          RunSites.INNER,
          (name, descriptor, access) ->
              name.equals("<init>") ? Registration.SUBMIT_TASK_ARGUMENTS : Registration.NONE,
          false);

  /** Internal names of executors recognised so far, whose nested classes run their tasks. */
  private final Set<String> executors = ConcurrentHashMap.newKeySet();

  /**
   * Packages of the application executors recognised so far: a worker loop written as a class of
   * its own beside its executor runs the executor's tasks, so its calls run a task as its owner
   * when the task has one and leave every other call as it is.
   */
  private final Set<String> executorPackages = ConcurrentHashMap.newKeySet();

  private static final OwnershipPlan BESIDE_EXECUTOR =
      new OwnershipPlan(RunSites.INNER, OwnershipPlan.NO_REGISTRATIONS, false);

  private static final byte[] RUNNABLE = ascii("java/lang/Runnable");

  /** The JDK classes of {@link #JDK} and the adapters, for retransforming those already loaded. */
  /** The JDK's classes named here (internal names), not their nested classes. */
  static Set<String> jdkNames() {
    Set<String> names = new java.util.HashSet<>(JDK.keySet());
    names.add(READ_AHEAD);
    return names;
  }

  static boolean isJdkTarget(String internalName) {
    return JDK.containsKey(internalName)
        || READ_AHEAD.equals(internalName)
        || jdkNested(internalName) != null;
  }

  /** The plan for a class being loaded, or null when it takes no part. */
  OwnershipPlan planFor(ClassLoader loader, String internalName, byte[] bytes) {
    if (loader == null || internalName.startsWith("java/")) {
      if (READ_AHEAD.equals(internalName)) {
        return READ_AHEAD_PLAN;
      }
      OwnershipPlan jdk = JDK.get(internalName);
      return jdk != null ? jdk : jdkNested(internalName);
    }
    for (String prefix : NOT_EXECUTORS) {
      if (internalName.startsWith(prefix)) {
        return null;
      }
    }
    if (internalName.equals(NETTY_SCHEDULER)) {
      return NETTY_PERIODIC;
    }
    if (internalName.indexOf('$') > 0 && isNestedInExecutor(internalName)) {
      return NESTED_IN_EXECUTOR;
    }
    if (LIBRARY_EXECUTORS.contains(internalName)
        || (mayBeExecutor(bytes) && isExecutor(new ClassReader(bytes)))) {
      executors.add(internalName);
      executorPackages.add(packageOf(internalName));
      return GENERIC;
    }
    if (!executorPackages.isEmpty()
        && executorPackages.contains(packageOf(internalName))
        && contains(bytes, RUNNABLE)) {
      return BESIDE_EXECUTOR;
    }
    return null;
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  private static OwnershipPlan jdkNested(String internalName) {
    if (internalName.startsWith(JUC + "CompletableFuture$")) {
      return STAGE;
    }
    if (internalName.startsWith(JUC + "ForkJoinTask$")
        || internalName.startsWith(JUC + "DelayScheduler$")) {
      return ADAPTER;
    }
    return null;
  }

  private boolean isNestedInExecutor(String internalName) {
    for (int i = internalName.indexOf('$'); i > 0; i = internalName.indexOf('$', i + 1)) {
      if (executors.contains(internalName.substring(0, i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isExecutor(ClassReader reader) {
    if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
      return false;
    }
    if (EXECUTOR_SUPERS.contains(reader.getSuperName())) {
      return true;
    }
    for (String type : reader.getInterfaces()) {
      if (EXECUTOR_TYPES.contains(type)) {
        return true;
      }
    }
    return false;
  }

  /** The methods through which an executor is handed work. */
  private static Registration executorMethod(String name, String descriptor, int access) {
    if ((access & Opcodes.ACC_PUBLIC) == 0) {
      return Registration.NONE;
    }
    boolean task =
        descriptor.startsWith("(Ljava/lang/Runnable;")
            || descriptor.startsWith("(Ljava/util/concurrent/Callable;")
            || descriptor.startsWith("(Ljava/util/concurrent/ForkJoinTask;");
    if (!task) {
      return Registration.NONE;
    }
    switch (name) {
      case "execute":
      case "submit":
      case "schedule":
      case "invoke":
      case "submitWithTimeout":
      case "lazyExecute": // Netty: a write from another thread, flushed later
        return Registration.SUBMIT_ARGUMENT;
      case "scheduleAtFixedRate":
      case "scheduleWithFixedDelay":
        return Registration.PERIODIC_ARGUMENT;
      default:
        return Registration.NONE;
    }
  }

  /** A cheap filter before parsing: an executor's constant pool names its executor type. */
  private static boolean mayBeExecutor(byte[] bytes) {
    return contains(bytes, EXECUTOR) || contains(bytes, POOL);
  }

  private static boolean contains(byte[] bytes, byte[] needle) {
    byte first = needle[0];
    int last = bytes.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] ascii(String text) {
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) text.charAt(i);
    }
    return bytes;
  }
}
