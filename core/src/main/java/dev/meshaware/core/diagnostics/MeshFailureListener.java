package dev.meshaware.core.diagnostics;

/**
 * Told of every mesh failure, on the thread that observed it (an application thread or a client's
 * I/O thread): must return quickly and must not block. What it throws is ignored.
 */
@FunctionalInterface
public interface MeshFailureListener {
  /** Called once for each mesh failure, whether or not its line was logged. */
  void onMeshFailure(MeshFailure failure);
}
