package dev.meshaware.spring.actuate;

import dev.meshaware.spring.ConditionalOnMeshawareEnabled;
import dev.meshaware.spring.MeshawareAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;

/**
 * The {@code sidecar} health contributor, when the application has Spring Boot's health support. It
 * joins {@code /actuator/health} like any indicator, and no liveness or readiness group: a sidecar
 * that is briefly not ready must not get the application restarted or taken out of its Service
 * (Istio already holds traffic back while its proxy is not ready). Switched off with {@code
 * management.health.sidecar.enabled=false}.
 */
@AutoConfiguration(after = MeshawareAutoConfiguration.class)
@ConditionalOnMeshawareEnabled
@ConditionalOnProperty(
    prefix = "management.health.sidecar",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@Import(SidecarHealthRegistrar.class)
public final class SidecarHealthAutoConfiguration {}
