package dev.meshaware.agent.library;

import dev.meshaware.agent.instrument.Library;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.jetty.JettyLibrary;
import dev.meshaware.agent.library.kafka.KafkaLibrary;
import dev.meshaware.agent.library.micronaut.MicronautLibrary;
import dev.meshaware.agent.library.netty.NettyLibrary;
import dev.meshaware.agent.library.quarkus.QuarkusLibrary;
import dev.meshaware.agent.library.undertow.UndertowLibrary;
import dev.meshaware.agent.library.vertx.VertxLibrary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every library the agent instruments, one entry each. */
public final class Libraries {
  private Libraries() {}

  /** All of them, in the startup report's order. */
  public static List<Library> all() {
    List<Library> all = new ArrayList<>();
    all.add(new JdkHttpServerLibrary());
    all.add(new TomcatLibrary());
    all.add(new ServletLibrary());
    all.add(new ReactorNettyLibrary());
    all.add(new GrpcLibrary());
    all.add(new HttpUrlConnectionLibrary());
    all.add(new JdkHttpClientLibrary());
    all.add(new OkHttpLibrary());
    all.add(new ApacheHttpClient5Library());
    all.add(new ApacheHttpClient4Library());
    all.add(new ExecutorsLibrary());

    all.add(new NettyLibrary());
    all.add(new VertxLibrary());
    all.add(new JettyLibrary());
    all.add(new UndertowLibrary());
    all.add(new QuarkusLibrary());
    all.add(new MicronautLibrary());
    all.add(new KafkaLibrary());
    // one line per library above this one
    return Collections.unmodifiableList(all);
  }

  /** Every instrumentation of every library, for checks that must cover them all. */
  public static List<TypeInstrumentation> everyInstrumentation() {
    List<TypeInstrumentation> every = new ArrayList<>();
    for (Library library : all()) {
      every.addAll(library.inbound());
      every.addAll(library.outbound());
      every.addAll(library.threadHops());
      every.addAll(library.diagnostics());
    }
    return every;
  }
}
