package dev.meshaware.spring.propagation;

import dev.meshaware.spring.testing.GatewayClassPath;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.WebApplicationType;

/** Spring Cloud Gateway Server WebFlux (Reactor Netty in and out) with the starter. */
class GatewayWebFluxRouteTest extends GatewayRouteTest {

  @BeforeAll
  static void startGateway() {
    start(WebApplicationType.REACTIVE, GatewayClassPath.WEBFLUX);
  }
}
