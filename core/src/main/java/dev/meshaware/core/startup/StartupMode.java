package dev.meshaware.core.startup;

/** When the startup gate waits for the sidecar ({@code meshaware.startup.mode}). */
public enum StartupMode {
  /** Wait only where a sidecar can exist: in Kubernetes ({@code KUBERNETES_SERVICE_HOST} set). */
  AUTO,
  /** Always wait, up to the deadline; never conclude that there is no sidecar. */
  ALWAYS,
  /** Never wait. */
  NEVER
}
