package dev.meshaware.spring.diagnostics;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.ConditionalOnMeshawareFeature;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import dev.meshaware.spring.MeshawareFeatures;
import dev.meshaware.spring.actuate.EndpointSection;
import dev.meshaware.spring.startup.StartupRecord;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/**
 * Mesh failures of outbound calls in the application's log: the {@code RestTemplate}, {@code
 * RestClient} and {@code WebClient} built from Spring Boot's builders report every response that
 * may come from a sidecar to core's classifier (which logs one line per destination and cause per
 * interval), and so do the clients of those kinds the application defines as beans itself ({@link
 * SelfBuiltClientsDiagnosticsConfiguration}); with Micrometer the failures are counted as {@code
 * meshaware.mesh.failures}. When the agent's diagnostics are in place, the agent observes the HTTP
 * clients itself; the starter then adds only the counters.
 */
@AutoConfiguration(after = MeshawareAutoConfiguration.class)
@ConditionalOnMeshawareEnabled
@Import(SelfBuiltClientsDiagnosticsConfiguration.class)
public final class DiagnosticsAutoConfiguration {

  /** The endpoint's {@code diagnostics}; a plain bean, shown only when the actuator is there. */
  @Bean
  @Order(500)
  EndpointSection meshawareDiagnosticsSection() {
    return new DiagnosticsSection();
  }

  /**
   * Not when the agent's diagnostics are in place (its advice already observes the clients
   * underneath: observing here too would count twice), nor with {@code
   * meshaware.diagnostics.enabled=false}.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.http.client.ClientHttpRequestInterceptor")
  @ConditionalOnMeshawareFeature(MeshawareFeatures.Feature.DIAGNOSTICS)
  @Import(DiagnosticsCustomizerRegistrar.class)
  static class BlockingClientConfiguration {
    @Bean
    MeshDiagnosticsInterceptor meshawareDiagnosticsInterceptor(
        MeshawareSettings settings, ObjectProvider<StartupRecord> startup) {
      // The condition decided it, unless Spring AOT fixed the configuration at build time: the
      // pod's facts (the agent) are read now.
      if (MeshawareFeatures.decide(
              MeshawareFeatures.Feature.DIAGNOSTICS, settings, startup.getIfAvailable())
          .on()) {
        MeshDiagnostics.install(MeshDiagnosticsInterceptor.OWNER, settings);
      }
      return new MeshDiagnosticsInterceptor();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class MicrometerConfiguration {
    /**
     * Counts the failures whoever observed them (the starter's interceptor or the agent). The
     * registry is looked up at the first failure, so no ordering with Boot's metrics is needed.
     */
    @Bean
    MeshFailureMeters meshawareMeshFailureMeters(ObjectProvider<MeterRegistry> registry) {
      return new MeshFailureMeters(registry);
    }
  }
}
