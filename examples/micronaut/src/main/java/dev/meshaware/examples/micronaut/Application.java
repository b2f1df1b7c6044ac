package dev.meshaware.examples.micronaut;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;

/**
 * One of the two example services; {@code example.role} picks which: {@code frontend} (service A,
 * calls the backend) or {@code backend} (service B, answers with the headers it received). Nothing
 * in it knows meshaware: the agent comes with {@code -javaagent}.
 */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    ApplicationContext context = Micronaut.run(Application.class, args);
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    System.out.println(
        context.getProperty("example.role", String.class).orElse("service")
            + " listening on "
            + server.getHost()
            + ":"
            + server.getPort());
  }
}
