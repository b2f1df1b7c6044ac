package dev.meshaware.spring.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.testing.FidelityReplies;
import dev.meshaware.core.testing.ScriptedHttpServer;
import dev.meshaware.core.testing.ScriptedHttpServer.Reply;
import dev.meshaware.spring.testing.BootTypes;
import dev.meshaware.spring.testing.MeshLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The starter's diagnosing clients against a raw socket server standing in for Envoy: what the
 * application receives (bytes, charset, content type, when the response and each part of the body
 * arrive) is exactly what it receives without meshaware. Timing is checked without clocks: the
 * server holds the body back until the application has the response (or its first chunk) and
 * reports whether it was released by the application or had to give up waiting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiagnosticsFidelityTest {
  private static final AtomicInteger PATHS = new AtomicInteger();

  private final Map<String, ConfigurableApplicationContext> contexts = new HashMap<>();
  private ScriptedHttpServer server;

  @BeforeAll
  void start() throws IOException {
    MeshDiagnostics.uninstall(); // an earlier test class may have left them on for another owner
    server = ScriptedHttpServer.start();
    for (String factory : new String[] {"reactor", "jdk", "simple"}) {
      contexts.put(factory, run(factory));
    }
  }

  @AfterAll
  void stop() throws IOException {
    contexts.values().forEach(ConfigurableApplicationContext::close);
    server.close();
    MeshDiagnostics.uninstall();
  }

  @BeforeEach
  void freshDiagnostics() {
    // The repeat limit is per host and cause: each test starts with its own, as the starter does.
    MeshDiagnostics.uninstall();
    MeshDiagnostics.install(
        MeshDiagnosticsInterceptor.OWNER, contexts.get("reactor").getBean(MeshawareSettings.class));
  }

  /** Every diagnosing client, blocking ones on each request factory Boot may pick. */
  static Stream<String> clients() {
    return Stream.of(
        "resttemplate/reactor",
        "resttemplate/jdk",
        "resttemplate/simple",
        "restclient/reactor",
        "restclient/jdk",
        "restclient/simple",
        "webclient");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void everyByteValueArrivesUnchanged(String client) throws Exception {
    Received got = call(client).whole(serve(FidelityReplies.binary()));
    assertThat(got.bytes()).isEqualTo(FidelityReplies.ALL_BYTES);
    assertThat(got.contentType()).as("content type").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void isoLatin1TextKeepsItsBytesCharsetAndContentType(String client) throws Exception {
    Received got = call(client).whole(serve(FidelityReplies.latin1()));
    assertThat(got.bytes())
        .isEqualTo(FidelityReplies.LATIN1_TEXT.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(got.contentType()).isEqualTo(FidelityReplies.LATIN1_TYPE);
    assertThat(call(client).text(serve(FidelityReplies.latin1())))
        .as("the text as the application's converter decodes it")
        .isEqualTo(FidelityReplies.LATIN1_TEXT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void theResponseArrivesBeforeABodyThatTrailsItsHeadersAndIsStillDiagnosed(String client)
      throws Exception {
    Reply reply = FidelityReplies.trailing();
    String url = serve(reply);
    try (MeshLines lines = new MeshLines()) {
      byte[] body = call(client).releasingOnResponse(url, reply);
      assertThat(reply.releasedByTest())
          .as("the application had the response before the body was sent")
          .isTrue();
      assertThat(new String(body, StandardCharsets.US_ASCII))
          .isEqualTo(FidelityReplies.TRAILING_TEXT);
      assertThat(lines.containing("mesh failure"))
          .as(lines.all().toString())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("mesh failure UT (upstream request timeout)")
                      .contains("Envoy's body \"upstream request timeout\""));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void aStreamingBodyReachesTheApplicationChunkByChunk(String client) throws Exception {
    Reply reply = FidelityReplies.streaming();
    byte[] body = call(client).releasingAfterFirstChunk(serve(reply), reply);
    assertThat(reply.releasedByTest())
        .as("the application had the response and the first chunk before the rest was sent")
        .isTrue();
    assertThat(new String(body, StandardCharsets.US_ASCII))
        .isEqualTo(FidelityReplies.STREAM_FIRST + FidelityReplies.STREAM_REST);
  }

  /** Serves {@code reply} at a path of its own; returns its URL. */
  private String serve(Reply reply) {
    String path = "/fidelity/" + PATHS.incrementAndGet();
    server.on(path, reply);
    return server.url(path);
  }

  /** What the application received. */
  record Received(byte[] bytes, String contentType) {}

  /** One way an application calls, as the client's API lets it read the response. */
  interface AppCall {
    /** The whole body as bytes, and the content type the application sees. */
    Received whole(String url) throws Exception;

    /** The body as text, decoded by the client's own converters. */
    String text(String url) throws Exception;

    /** Releases the gate once the application has the response; returns the whole body. */
    byte[] releasingOnResponse(String url, Reply reply) throws Exception;

    /** Releases the gate once the application has the first chunk; returns the whole body. */
    byte[] releasingAfterFirstChunk(String url, Reply reply) throws Exception;
  }

  private AppCall call(String client) {
    String[] parts = client.split("/");
    ConfigurableApplicationContext context = contexts.get(parts.length > 1 ? parts[1] : "reactor");
    switch (parts[0]) {
      case "resttemplate":
        RestTemplate template = BootTypes.restTemplate(context);
        assertFactory(template.getRequestFactory(), parts[1]);
        return new RestTemplateCall(template);
      case "restclient":
        return new RestClientCall(context.getBean(RestClient.Builder.class).build());
      default:
        return new WebClientCall(context.getBean(WebClient.Builder.class).build());
    }
  }

  private static ConfigurableApplicationContext run(String factory) {
    SpringApplication application = new SpringApplication(ClientApp.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.http.clients.imperative.factory", factory); // Boot 4
    properties.put("spring.http.client.factory", factory); // Boot 3.5
    application.setDefaultProperties(properties);
    return application.run();
  }

  /** The client library underneath really is the one the test names. */
  private static void assertFactory(Object factory, String name) {
    Object current = factory;
    for (int depth = 0; depth < 4 && current != null; depth++) {
      if (current.getClass().getSimpleName().toLowerCase().startsWith(name)) {
        return;
      }
      current = field(current, "requestFactory");
    }
    throw new AssertionError("not a " + name + " request factory: " + factory);
  }

  private static Object field(Object target, String name) {
    for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
      } catch (NoSuchFieldException e) {
        // look further up
      } catch (IllegalAccessException e) {
        return null;
      }
    }
    return null;
  }

  private static byte[] readFirstChunkThenRelease(InputStream body, Reply reply)
      throws IOException {
    // A loop, not readNBytes: that asks for zero bytes once it has them, which some streams
    // answer by waiting for the next chunk.
    byte[] first = new byte[FidelityReplies.STREAM_FIRST.length()];
    for (int got = 0; got < first.length; ) {
      int read = body.read(first, got, first.length - got);
      if (read < 0) {
        break;
      }
      got += read;
    }
    assertThat(new String(first, StandardCharsets.US_ASCII))
        .isEqualTo(FidelityReplies.STREAM_FIRST);
    reply.release();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(first);
    all.writeBytes(body.readAllBytes());
    return all.toByteArray();
  }

  private static final class RestTemplateCall implements AppCall {
    private final RestTemplate template;

    RestTemplateCall(RestTemplate template) {
      this.template = template;
      // Applications that read error answers themselves turn the default handler's exception off.
      template.setErrorHandler(new KeepErrors());
    }

    @Override
    public Received whole(String url) {
      return template.execute(
          url,
          HttpMethod.GET,
          null,
          response ->
              new Received(
                  response.getBody().readAllBytes(),
                  response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE)));
    }

    @Override
    public String text(String url) {
      return template.getForEntity(url, String.class).getBody();
    }

    @Override
    public byte[] releasingOnResponse(String url, Reply reply) {
      return template.execute(
          url,
          HttpMethod.GET,
          null,
          response -> {
            reply.release();
            return response.getBody().readAllBytes();
          });
    }

    @Override
    public byte[] releasingAfterFirstChunk(String url, Reply reply) {
      return template.execute(
          url,
          HttpMethod.GET,
          null,
          response -> readFirstChunkThenRelease(response.getBody(), reply));
    }
  }

  private static final class RestClientCall implements AppCall {
    private final RestClient client;

    RestClientCall(RestClient client) {
      this.client = client;
    }

    @Override
    public Received whole(String url) {
      return client
          .get()
          .uri(url)
          .exchange(
              (request, response) ->
                  new Received(
                      response.getBody().readAllBytes(),
                      response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE)));
    }

    @Override
    public String text(String url) {
      return client
          .get()
          .uri(url)
          .retrieve()
          .onStatus(status -> true, (request, response) -> {})
          .body(String.class);
    }

    @Override
    public byte[] releasingOnResponse(String url, Reply reply) {
      return client
          .get()
          .uri(url)
          .exchange(
              (request, response) -> {
                reply.release();
                return response.getBody().readAllBytes();
              });
    }

    @Override
    public byte[] releasingAfterFirstChunk(String url, Reply reply) {
      return client
          .get()
          .uri(url)
          .exchange((request, response) -> readFirstChunkThenRelease(response.getBody(), reply));
    }
  }

  private static final class WebClientCall implements AppCall {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final WebClient client;

    WebClientCall(WebClient client) {
      this.client = client;
    }

    @Override
    public Received whole(String url) {
      return client
          .get()
          .uri(url)
          .exchangeToMono(
              response ->
                  DataBufferUtils.join(response.body((message, context) -> message.getBody()))
                      .map(WebClientCall::bytes)
                      .defaultIfEmpty(new byte[0])
                      .map(
                          bytes ->
                              new Received(
                                  bytes,
                                  response
                                      .headers()
                                      .asHttpHeaders()
                                      .getFirst(HttpHeaders.CONTENT_TYPE))))
          .block(WAIT);
    }

    @Override
    public String text(String url) {
      return client
          .get()
          .uri(url)
          .retrieve()
          .onStatus(status -> true, response -> Mono.empty())
          .bodyToMono(String.class)
          .block(WAIT);
    }

    @Override
    public byte[] releasingOnResponse(String url, Reply reply) {
      return client
          .get()
          .uri(url)
          .exchangeToMono(
              response -> {
                reply.release();
                return response.bodyToMono(byte[].class);
              })
          .block(WAIT);
    }

    @Override
    public byte[] releasingAfterFirstChunk(String url, Reply reply) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      client
          .get()
          .uri(url)
          .exchangeToFlux(response -> response.bodyToFlux(DataBuffer.class))
          .doOnNext(
              buffer -> {
                all.writeBytes(bytes(buffer));
                if (all.size() >= FidelityReplies.STREAM_FIRST.length()) {
                  reply.release();
                }
              })
          .blockLast(WAIT);
      return all.toByteArray();
    }

    private static byte[] bytes(DataBuffer buffer) {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      DataBufferUtils.release(buffer);
      return bytes;
    }
  }

  /** Lets the application read 4xx and 5xx answers as it reads any other. */
  private static final class KeepErrors
      extends org.springframework.web.client.DefaultResponseErrorHandler {
    @Override
    public boolean hasError(ClientHttpResponse response) {
      return false;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ClientApp {}
}
