package example.isolation;

import java.util.List;
import java.util.Random;

/**
 * A random graph of hops for one request: each node hands its children to an executor, to a {@code
 * CompletableFuture} stage that some other thread completes, or fans out to two; the leaves call
 * out.
 *
 * @param kind {@link #EXECUTOR}, {@link #HANDOFF}, {@link #FAN_OUT} or {@link #LEAF}
 * @param target for {@link #EXECUTOR}, which executor (see {@link StressApp})
 */
record HopPlan(int kind, int target, List<HopPlan> children) {
  static final int LEAF = 0;
  static final int EXECUTOR = 1;
  static final int HANDOFF = 2;
  static final int FAN_OUT = 3;

  /** A plan of {@code depth} levels, drawing executors among {@code targets}. */
  static HopPlan random(Random random, int depth, int targets) {
    if (depth == 0) {
      return new HopPlan(LEAF, 0, List.of());
    }
    int draw = random.nextInt(100);
    if (draw < 12) {
      return new HopPlan(
          FAN_OUT,
          0,
          List.of(random(random, depth - 1, targets), random(random, depth - 1, targets)));
    }
    if (draw < 27) {
      return new HopPlan(HANDOFF, 0, List.of(random(random, depth - 1, targets)));
    }
    return new HopPlan(
        EXECUTOR, random.nextInt(targets), List.of(random(random, depth - 1, targets)));
  }

  int leaves() {
    if (kind == LEAF) {
      return 1;
    }
    int leaves = 0;
    for (HopPlan child : children) {
      leaves += child.leaves();
    }
    return leaves;
  }
}
