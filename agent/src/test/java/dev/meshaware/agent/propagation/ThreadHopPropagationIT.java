package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thread hops between the inbound request and the outbound call: executors, scheduled and fork-join
 * pools, CompletableFuture, new threads, virtual threads; the fan-out rule for work that outlives
 * its request; and pooled work that belongs to no request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadHopPropagationIT {
  private MeshedService service;
  private MeshedService commonPoolService;
  private MeshedService inheritingService;

  @BeforeAll
  void start() throws Exception {
    service = MeshedService.start("jdk", ChildJvm.running(ServiceApp.class));
    // With more than one core's worth of parallelism, CompletableFuture uses the common pool
    // instead of a thread per task: cover both paths whatever the machine.
    commonPoolService =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .property("java.util.concurrent.ForkJoinPool.common.parallelism", "4"));
    inheritingService =
        MeshedService.start(
            "jdk",
            ChildJvm.running(ServiceApp.class)
                .property("meshaware.propagation.periodic", "inherit"));
  }

  @AfterAll
  void stop() throws Exception {
    for (MeshedService each : List.of(service, commonPoolService, inheritingService)) {
      each.close();
    }
  }

  private static void assertCarries(LoggedRequest request, Map<String, String> sent, String what) {
    sent.forEach(
        (name, value) ->
            assertThat(request.getHeader(name)).as(what + " " + name).isEqualTo(value));
  }

  private static void assertCarriesNothing(LoggedRequest request, String what) {
    for (String name : List.of("x-request-id", "x-b3-traceid", "traceparent")) {
      assertThat(request.getHeader(name)).as(what + " " + name).isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "direct",
        "executor",
        "scheduled",
        "forkjoin",
        "completable",
        "completable-pool",
        "thread"
      })
  void carriesTheRequestsHeadersAcrossTheHop(String hop) throws Exception {
    for (MeshedService each : List.of(service, commonPoolService)) {
      for (String client : List.of("urlconnection", "okhttp", "jdk")) {
        String path = "/hop-" + hop + "-" + client + "-" + System.identityHashCode(each);
        Map<String, String> sent = PropagationMatrixIT.traceHeaders(hop + client);
        assertThat(each.call("client=" + client + "&hop=" + hop + "&path=" + path, sent))
            .as(each.output())
            .isEqualTo("200");
        assertCarries(each.received(path).get(0), sent, hop + " " + client);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"virtual", "virtual-executor"})
  void carriesTheRequestsHeadersIntoVirtualThreads(String hop) throws Exception {
    assumeTrue(ChildJvm.javaFeatureVersion() >= 21, "virtual threads need JDK 21+");
    String path = "/hop-" + hop;
    Map<String, String> sent = PropagationMatrixIT.traceHeaders(hop);
    assertThat(service.call("client=okhttp&hop=" + hop + "&path=" + path, sent))
        .as(service.output())
        .isEqualTo("200");
    assertCarries(service.received(path).get(0), sent, hop);
  }

  @Test
  void oneShotWorkThatOutlivesItsRequestStillCarriesItsHeaders() throws Exception {
    Map<String, String> sent = PropagationMatrixIT.traceHeaders("after");
    assertThat(service.call("hop=after-request&path=/after", sent)).isEqualTo("scheduled");
    assertCarries(service.awaitReceived("/after", 1).get(0), sent, "after-request");
  }

  @Test
  void periodicWorkCarriesNothingByDefault() throws Exception {
    Map<String, String> sent = PropagationMatrixIT.traceHeaders("periodic");
    assertThat(service.call("hop=periodic&path=/periodic", sent)).isEqualTo("scheduled");
    assertCarriesNothing(service.awaitReceived("/periodic", 1).get(0), "periodic");
  }

  @Test
  void periodicWorkCarriesTheHeadersWhenAskedTo() throws Exception {
    Map<String, String> sent = PropagationMatrixIT.traceHeaders("inherit");
    assertThat(inheritingService.call("hop=periodic&path=/periodic-inherit", sent))
        .isEqualTo("scheduled");
    assertCarries(
        inheritingService.awaitReceived("/periodic-inherit", 1).get(0), sent, "periodic inherit");
  }

  @Test
  void pooledWorkSubmittedOutsideAnyRequestCarriesNothing() throws Exception {
    // First let every pool thread serve requests, then submit from the main thread.
    for (int i = 0; i < 8; i++) {
      service.call("hop=executor&path=/warm-" + i, PropagationMatrixIT.traceHeaders("warm" + i));
    }
    assertThat(service.call("hop=outside&path=/outside", PropagationMatrixIT.traceHeaders("out")))
        .isEqualTo("scheduled");
    assertCarriesNothing(service.awaitReceived("/outside", 1).get(0), "outside");
  }

  @Test
  void aRequestWithoutTraceHeadersForwardsNone() throws Exception {
    assertThat(service.call("client=okhttp&hop=executor&path=/none", Map.of())).isEqualTo("200");
    assertCarriesNothing(service.received("/none").get(0), "no inbound headers");
  }
}
