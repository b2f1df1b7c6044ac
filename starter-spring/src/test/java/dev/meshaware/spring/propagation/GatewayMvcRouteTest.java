package dev.meshaware.spring.propagation;

import dev.meshaware.spring.testing.GatewayClassPath;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.WebApplicationType;

/**
 * Spring Cloud Gateway Server Web MVC with the starter: its proxy client is a {@code RestClient}
 * from Boot's builder, the builder meshaware's interceptor is added to.
 */
class GatewayMvcRouteTest extends GatewayRouteTest {

  @BeforeAll
  static void startGateway() {
    start(WebApplicationType.SERVLET, GatewayClassPath.WEBMVC);
  }
}
