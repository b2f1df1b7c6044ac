package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.diagnostics.HostLimit;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.MeshFailure;
import dev.meshaware.core.diagnostics.MeshFailureListener;
import dev.meshaware.core.diagnostics.RetriedRequests;
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
 * while the context lives: the diagnostics are process-wide, the registry is not. Inbound POST and
 * PATCH requests a sidecar retried are counted as {@code meshaware.mesh.retried-requests}, tagged
 * with the method.
 */
final class MeshFailureMeters
    implements MeshFailureListener, RetriedRequests.Listener, InitializingBean, DisposableBean {
  /** The counter's name. */
  static final String NAME = "meshaware.mesh.failures";

  /** The retried requests counter's name. */
  static final String RETRIED = "meshaware.mesh.retried-requests";

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
    RetriedRequests.addListener(this);
  }

  @Override
  public void destroy() {
    MeshDiagnostics.removeListener(this);
    RetriedRequests.removeListener(this);
  }

  @Override
  public void onRetriedRequest(String method) {
    MeterRegistry registry = registries.getIfUnique();
    if (registry == null) {
      return;
    }
    Counter.builder(RETRIED)
        .description("Inbound POST and PATCH requests that a sidecar sent again (a retry)")
        .tag("method", method)
        .register(registry)
        .increment();
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
