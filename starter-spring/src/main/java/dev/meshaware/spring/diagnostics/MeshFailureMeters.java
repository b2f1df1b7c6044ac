package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.HostLimit;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.MeshFailure;
import dev.meshaware.core.diagnostics.MeshFailureListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts each mesh failure in Micrometer as {@code meshaware.mesh.failures}, tagged with its cause
 * ({@code UH}, {@code UF}...), destination host and origin ({@code local-sidecar}...), so a
 * dashboard or alert can see what the log lines say. The host tag has at most {@link
 * #MAX_HOST_TAGS} values besides {@code (other hosts)}, which counts every later destination: a
 * meter per host called would grow the registry (and every scrape) without bound. Listens only
 * while the context lives: the diagnostics are process-wide, the registry is not.
 */
final class MeshFailureMeters implements MeshFailureListener, InitializingBean, DisposableBean {
  /** The counter's name. */
  static final String NAME = "meshaware.mesh.failures";

  /** Destination hosts that get a {@code host} tag of their own. */
  static final int MAX_HOST_TAGS = 100;

  private final ObjectProvider<MeterRegistry> registries;
  private final HostLimit hosts = new HostLimit(MAX_HOST_TAGS);

  MeshFailureMeters(ObjectProvider<MeterRegistry> registries) {
    this.registries = registries;
  }

  @Override
  public void afterPropertiesSet() {
    MeshDiagnostics.addListener(this);
  }

  @Override
  public void destroy() {
    MeshDiagnostics.removeListener(this);
  }

  @Override
  public void onMeshFailure(MeshFailure failure) {
    // getIfUnique: with several registries Boot makes a composite primary one; none, nothing.
    MeterRegistry registry = registries.getIfUnique();
    if (registry == null) {
      return;
    }
    Counter.builder(NAME)
        .description("Outbound calls that failed in the service mesh, by cause")
        .tag("cause", failure.cause().code())
        .tag("host", hosts.admit(failure.host()))
        .tag("origin", failure.origin().tag())
        .register(registry)
        .increment();
  }
}
