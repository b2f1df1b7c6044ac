package example.isolation;

/**
 * One executor as an application uses it, made fresh for each test case so that its workers are
 * made wherever the case first uses it (inside a request, or outside any).
 *
 * @param threads how many of its workers tasks can occupy at once: as many tasks, each waiting for
 *     the others, put one on every worker; 1 for executors that run one task at a time
 * @param submit how the application hands it one task
 */
record Subject(int threads, Submit submit) {

  /** Hands the executor one task; never waits for it to run. */
  @FunctionalInterface
  interface Submit {
    void submit(Runnable task) throws Exception;
  }

  void run(Runnable task) throws Exception {
    submit.submit(task);
  }
}
