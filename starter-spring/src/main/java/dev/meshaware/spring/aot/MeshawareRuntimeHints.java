package dev.meshaware.spring.aot;

import java.util.List;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the starter reaches by name or by reflection, for an application compiled ahead of time
 * (Spring AOT; a GraalVM native image needs exactly these): the Boot interfaces it implements as
 * JDK proxies because Boot 4.0 moved them ({@code MovedBootType}), the classes that make their
 * bodies, and the public getters of Boot's and Tomcat's types that the listen-address and
 * keep-alive checks read without naming them (one jar serves Boot 3.5 and 4.x). Only what the
 * application's class path has is registered. Listed in {@code META-INF/spring/aot.factories}.
 */
public final class MeshawareRuntimeHints implements RuntimeHintsRegistrar {
  /** Implemented as JDK proxies, one name per Boot generation. */
  static final List<String> PROXIED =
      List.of(
          "org.springframework.boot.restclient.RestTemplateCustomizer",
          "org.springframework.boot.web.client.RestTemplateCustomizer",
          "org.springframework.boot.restclient.RestClientCustomizer",
          "org.springframework.boot.web.client.RestClientCustomizer",
          "org.springframework.boot.webclient.WebClientCustomizer",
          "org.springframework.boot.web.reactive.function.client.WebClientCustomizer",
          "org.springframework.boot.health.contributor.HealthIndicator",
          "org.springframework.boot.actuate.health.HealthIndicator",
          "org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer",
          "org.springframework.boot.autoconfigure.kafka.DefaultKafkaProducerFactoryCustomizer");

  /** Made by name when their bean is created ({@code MovedBootTypeBean}). */
  static final List<String> BODIES =
      List.of(
          "dev.meshaware.spring.propagation.HeaderForwardingCustomizerRegistrar",
          "dev.meshaware.spring.diagnostics.DiagnosticsCustomizerRegistrar",
          "dev.meshaware.spring.actuate.SidecarHealthRegistrar",
          "dev.meshaware.spring.propagation.KafkaPropagationAutoConfiguration"
              + "$ProducerFactoryCustomizerBody");

  /** Whose public getters the checks call by name. */
  static final List<String> READ_BY_NAME =
      List.of(
          // the sidecar health's Health.status(..).withDetails(..).build()
          "org.springframework.boot.health.contributor.Health",
          "org.springframework.boot.health.contributor.Health$Builder",
          "org.springframework.boot.actuate.health.Health",
          "org.springframework.boot.actuate.health.Health$Builder",
          // the listen-address check: the event, its context and its server
          "org.springframework.boot.web.server.context.WebServerInitializedEvent",
          "org.springframework.boot.web.context.WebServerInitializedEvent",
          "org.springframework.boot.web.server.servlet.context.ServletWebServerInitializedEvent",
          "org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent",
          "org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent",
          "org.springframework.boot.web.reactive.context.ReactiveWebServerInitializedEvent",
          "org.springframework.boot.web.server.servlet.context"
              + ".AnnotationConfigServletWebServerApplicationContext",
          "org.springframework.boot.web.servlet.context"
              + ".AnnotationConfigServletWebServerApplicationContext",
          "org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext",
          "org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext",
          "org.springframework.boot.web.server.reactive.context"
              + ".AnnotationConfigReactiveWebServerApplicationContext",
          "org.springframework.boot.web.reactive.context"
              + ".AnnotationConfigReactiveWebServerApplicationContext",
          "org.springframework.boot.web.server.reactive.context"
              + ".ReactiveWebServerApplicationContext",
          "org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext",
          "org.springframework.boot.tomcat.TomcatWebServer",
          "org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
          "org.springframework.boot.reactor.netty.NettyWebServer",
          "org.springframework.boot.web.embedded.netty.NettyWebServer",
          "org.springframework.boot.jetty.JettyWebServer",
          "org.springframework.boot.web.embedded.jetty.JettyWebServer",
          "org.springframework.boot.undertow.UndertowWebServer",
          "org.springframework.boot.web.embedded.undertow.UndertowWebServer",
          // the keep-alive comparison: Tomcat's connector and protocol
          "org.apache.catalina.startup.Tomcat",
          "org.apache.catalina.core.StandardService",
          "org.apache.catalina.connector.Connector",
          "org.apache.coyote.http11.Http11NioProtocol",
          "org.apache.coyote.http11.Http11Nio2Protocol",
          "org.apache.coyote.http11.Http11AprProtocol");

  @Override
  public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
    for (String name : PROXIED) {
      if (ClassUtils.isPresent(name, classLoader)) {
        hints.proxies().registerJdkProxy(TypeReference.of(name));
      }
    }
    for (String name : BODIES) {
      hints
          .reflection()
          .registerTypeIfPresent(classLoader, name, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
    }
    for (String name : READ_BY_NAME) {
      hints
          .reflection()
          .registerTypeIfPresent(classLoader, name, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
  }
}
