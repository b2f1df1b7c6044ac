package dev.meshaware.spring.testing;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Cloud Gateway with no code of its own: routes come from properties, as most gateways
 * define them; start it with {@link RunningApp} and {@link GatewayClassPath#loader}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class GatewayApp {}
