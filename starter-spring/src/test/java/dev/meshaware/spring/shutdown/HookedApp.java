package dev.meshaware.spring.shutdown;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A servlet application beside another library's JVM shutdown hook, as a connection pool or a
 * tracer exporter registers one: the hook closes a resource {@code GET /work} needs, and prints
 * {@link #HOOK_LINE} when it runs. Run in a child JVM with the starter only.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class HookedApp {
  /** Printed once serving, followed by the port. */
  static final String PORT_LINE = "APP-PORT ";

  /** Printed by the other library's shutdown hook as it closes the resource. */
  static final String HOOK_LINE = "OTHER-LIBRARY-HOOK closed the resource";

  private static final AtomicBoolean RESOURCE_OPEN = new AtomicBoolean(true);

  public static void main(String[] args) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  RESOURCE_OPEN.set(false);
                  System.out.println(HOOK_LINE);
                },
                "other-library-hook"));
    SpringApplication application = new SpringApplication(HookedApp.class);
    application.setWebApplicationType(WebApplicationType.SERVLET);
    String port =
        application.run(args).getEnvironment().getProperty("local.server.port", "unknown");
    System.out.println(PORT_LINE + port);
  }

  @RestController
  static class Work {
    @GetMapping("/work")
    ResponseEntity<String> work() {
      return RESOURCE_OPEN.get()
          ? ResponseEntity.ok("served")
          : ResponseEntity.status(503).body("resource closed by another library's hook");
    }
  }
}
