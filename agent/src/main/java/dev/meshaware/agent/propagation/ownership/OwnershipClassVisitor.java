package dev.meshaware.agent.propagation.ownership;

import dev.meshaware.agent.propagation.ownership.OwnershipPlan.Registration;
import dev.meshaware.agent.propagation.ownership.OwnershipPlan.RunSites;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites one class by an {@link OwnershipPlan}, with plain ASM: a static call at the entry of
 * registering methods, and calls that run work replaced by core's {@code OwnedWork} equivalents.
 * Every change is straight-line code that leaves the operand stack as it found it, adds no field,
 * method or local variable and no branch, so existing stack map frames stay valid, retransformation
 * of an already loaded class is allowed, and the class needs no frame computation (which would load
 * classes from inside the class loader).
 */
final class OwnershipClassVisitor extends ClassVisitor {
  static final String HOOKS = "dev/meshaware/core/propagation/OwnedWork";
  private static final String RECORDS = "dev/meshaware/core/propagation/ProcessedRecords";
  private static final String RUNNABLE = "java/lang/Runnable";
  private static final String CALLABLE = "java/util/concurrent/Callable";
  private static final String STAGE_PREFIX = "java/util/concurrent/CompletableFuture$";
  private static final String STAGE_FIRE = "(I)Ljava/util/concurrent/CompletableFuture;";

  private final OwnershipPlan plan;
  private boolean changed;

  OwnershipClassVisitor(ClassVisitor next, OwnershipPlan plan) {
    super(Opcodes.ASM9, next);
    this.plan = plan;
  }

  /** True when anything was rewritten. */
  boolean changed() {
    return changed;
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (next == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
      return next;
    }
    Registration registration = plan.registrations.of(name, descriptor, access);
    if ((access & Opcodes.ACC_STATIC) != 0 && registration != Registration.NONE) {
      registration = Registration.NONE;
    }
    return new Rewriter(next, registration, descriptor);
  }

  private final class Rewriter extends MethodVisitor {
    private final Registration registration;
    private final String descriptor;

    /** Where the periodic extent's catch-all starts and its handler, for PERIODIC_EXTENT. */
    private Label periodicStart;

    private Label periodicHandler;

    Rewriter(MethodVisitor next, Registration registration, String descriptor) {
      super(Opcodes.ASM9, next);
      this.registration = registration;
      this.descriptor = descriptor;
    }

    /** Submits each task argument (the constructor has not yet called its super constructor). */
    private boolean submitTaskArguments() {
      boolean any = false;
      int slot = 1;
      for (Type argument : Type.getArgumentTypes(descriptor)) {
        String name = argument.getInternalName();
        if (argument.getSort() == Type.OBJECT && (name.equals(RUNNABLE) || name.equals(CALLABLE))) {
          hook(slot, "submitted", "(Ljava/lang/Object;)V");
          any = true;
        }
        slot += argument.getSize();
      }
      return any;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      switch (registration) {
        case SUBMIT_ARGUMENT:
          hook(1, "submitted", "(Ljava/lang/Object;)V");
          break;
        case RELEASE_ARGUMENT:
          hook(1, "rejected", "(Ljava/lang/Object;)V");
          break;
        case READ_AHEAD_EXTENT:
        case PERIODIC_EXTENT:
          extentCall(true);
          // A schedule method that throws (a bad period, a loop shutting down) must end the extent
          // too: see visitMaxs.
          periodicStart = new Label();
          periodicHandler = new Label();
          super.visitLabel(periodicStart);
          break;
        case SUBMIT_THIS:
          hook(0, "submitted", "(Ljava/lang/Object;)V");
          break;
        case PERIODIC_ARGUMENT:
          super.visitVarInsn(Opcodes.ALOAD, 1);
          super.visitInsn(Opcodes.ICONST_1);
          call("scheduled", "(Ljava/lang/Object;Z)V");
          break;
        case SCHEDULED_FUTURE:
          super.visitVarInsn(Opcodes.ALOAD, 1);
          super.visitVarInsn(Opcodes.ALOAD, 1);
          super.visitMethodInsn(
              Opcodes.INVOKEINTERFACE,
              "java/util/concurrent/RunnableScheduledFuture",
              "isPeriodic",
              "()Z",
              true);
          call("scheduled", "(Ljava/lang/Object;Z)V");
          break;
        case SUBMIT_TASK_ARGUMENTS:
          if (!submitTaskArguments()) {
            return;
          }
          break;
        case RUN_THIS:
          hook(0, "beginTask", "(Ljava/lang/Object;)V");
          break;
        case TIMER_TASK:
          // sched(TimerTask task, long time, long period): periodic when period != 0
          super.visitVarInsn(Opcodes.ALOAD, 1);
          super.visitVarInsn(Opcodes.LLOAD, 4);
          super.visitInsn(Opcodes.LCONST_0);
          super.visitInsn(Opcodes.LCMP);
          call("scheduled", "(Ljava/lang/Object;Z)V");
          break;
        default:
          return;
      }
      changed = true;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN && registration == Registration.DEFINE_THIS) {
        hook(0, "defined", "(Ljava/lang/Object;)V");
        changed = true;
      }
      if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        if (registration == Registration.RUN_THIS) {
          call("endTask", "()V");
        } else if (registration == Registration.PERIODIC_EXTENT
            || registration == Registration.READ_AHEAD_EXTENT) {
          extentCall(false);
        }
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      if (plan.runSites != RunSites.KEEP && name.equals("run") && descriptor.equals("()V")) {
        if ((opcode == Opcodes.INVOKEINTERFACE && owner.equals(RUNNABLE))
            || (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/util/TimerTask"))) {
          call(plan.runSites == RunSites.TASK ? "runTask" : "runInner", "(Ljava/lang/Runnable;)V");
          changed = true;
          return;
        }
      }
      if (plan.passesOn
          && (opcode == Opcodes.INVOKEINTERFACE || opcode == Opcodes.INVOKEVIRTUAL)
          && name.equals("execute")
          && descriptor.equals("(Ljava/lang/Runnable;)V")) {
        // stack: executor, task -> OwnedWork.passOn(executor, task), which calls execute
        call("passOn", "(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;)V");
        changed = true;
        return;
      }
      if (plan.runSites != RunSites.KEEP
          && opcode == Opcodes.INVOKEINTERFACE
          && owner.equals(CALLABLE)
          && name.equals("call")
          && descriptor.equals("()Ljava/lang/Object;")) {
        call(
            plan.runSites == RunSites.TASK ? "callTask" : "callInner",
            "(Ljava/util/concurrent/Callable;)Ljava/lang/Object;");
        changed = true;
        return;
      }
      if (plan.stageFires
          && opcode == Opcodes.INVOKEVIRTUAL
          && owner.startsWith(STAGE_PREFIX)
          && name.equals("tryFire")
          && descriptor.equals(STAGE_FIRE)) {
        // stack: stage, mode -> scope, stage, mode -> (fire) -> scope, result -> result
        // tryFire catches what the stage's function throws (it completes the stage
        // exceptionally), so only a VM error could skip the exit: no handler is woven.
        super.visitInsn(Opcodes.SWAP);
        super.visitInsn(Opcodes.DUP_X1);
        call("enterDefined", "(Ljava/lang/Object;)Ljava/lang/Object;");
        super.visitInsn(Opcodes.DUP_X2);
        super.visitInsn(Opcodes.POP);
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        super.visitInsn(Opcodes.SWAP);
        call("exit", "(Ljava/lang/Object;)V");
        changed = true;
        return;
      }
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      if (periodicHandler != null) {
        // Last in the exception table, so that the method's own handlers keep precedence; the
        // frame names no local, which every point of the range satisfies.
        super.visitTryCatchBlock(periodicStart, periodicHandler, periodicHandler, null);
        super.visitLabel(periodicHandler);
        super.visitFrame(Opcodes.F_FULL, 0, new Object[0], 1, new Object[] {"java/lang/Throwable"});
        extentCall(false);
        super.visitInsn(Opcodes.ATHROW);
      }
      // the woven sequences need at most three more operand stack slots
      super.visitMaxs(maxStack + 3, maxLocals);
    }

    /** The begin or end call of the method's extent (periodic work or records read ahead). */
    private void extentCall(boolean begin) {
      if (registration == Registration.READ_AHEAD_EXTENT) {
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, RECORDS, begin ? "aheadBegin" : "aheadEnd", "()V", false);
      } else {
        call(begin ? "periodicBegin" : "periodicEnd", "()V");
      }
    }

    private void hook(int slot, String method, String descriptor) {
      super.visitVarInsn(Opcodes.ALOAD, slot);
      call(method, descriptor);
    }

    private void call(String method, String descriptor) {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, method, descriptor, false);
    }
  }
}
