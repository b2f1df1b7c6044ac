package dev.meshaware.agent.propagation.ownership;

/**
 * What {@link OwnershipClassVisitor} changes in one class: where tasks are registered to their
 * owner, and which calls that run work are routed through core's {@code OwnedWork}.
 */
final class OwnershipPlan {
  /** How a call that runs a {@code Runnable}/{@code Callable} inside this class is routed. */
  enum RunSites {
    /** Left alone. */
    KEEP,
    /** A pool or queue runs a task: its owner's headers, or none ({@code OwnedWork.runTask}). */
    TASK,
    /** An adapter runs the task it wraps inside work already scoped ({@code runInner}). */
    INNER
  }

  /** How a method registers its first argument (or {@code this}) when it is entered. */
  enum Registration {
    NONE,
    /** First argument handed to the executor: {@code OwnedWork.submitted(arg)}. */
    SUBMIT_ARGUMENT,
    /** First argument refused or taken back by the executor: {@code OwnedWork.rejected(arg)}. */
    RELEASE_ARGUMENT,
    /** A library's periodic schedule method: what it submits until it returns is periodic. */
    PERIODIC_EXTENT,
    /**
     * A parallel stream's split reading records ahead of their processing: {@code
     * ProcessedRecords.aheadBegin()} at entry, {@code aheadEnd()} at every exit, thrown ones too.
     */
    READ_AHEAD_EXTENT,
    /** First argument scheduled to repeat. */
    PERIODIC_ARGUMENT,
    /** {@code this} handed to its pool ({@code ForkJoinTask.fork}). */
    SUBMIT_THIS,
    /** {@code ScheduledThreadPoolExecutor.delayedExecute}: periodic or not, asked of the task. */
    SCHEDULED_FUTURE,
    /** {@code Timer.sched(task, time, period)}: periodic when the period is not zero. */
    TIMER_TASK,
    /**
     * A constructor of an adapter: every {@code Runnable}/{@code Callable} argument is submitted.
     */
    SUBMIT_TASK_ARGUMENTS,
    /** A constructor: {@code this} is defined by the current request, recorded at return. */
    DEFINE_THIS,
    /**
     * The method runs {@code this} as a task: its owner's scope is open from entry to every return
     * (for a method that catches everything its work throws, as {@code ForkJoinTask.doExec} does).
     */
    RUN_THIS
  }

  /** Decides the registration of each method of the class. */
  interface Registrations {
    Registration of(String methodName, String descriptor, int access);
  }

  static final Registrations NO_REGISTRATIONS = (name, descriptor, access) -> Registration.NONE;

  final RunSites runSites;
  final Registrations registrations;
  final boolean stageFires;

  /** Calls to another executor's {@code execute(Runnable)} pass the task on (first owner wins). */
  final boolean passesOn;

  OwnershipPlan(RunSites runSites, Registrations registrations, boolean stageFires) {
    this(runSites, registrations, stageFires, false);
  }

  OwnershipPlan(
      RunSites runSites, Registrations registrations, boolean stageFires, boolean passesOn) {
    this.runSites = runSites;
    this.registrations = registrations;
    this.stageFires = stageFires;
    this.passesOn = passesOn;
  }
}
