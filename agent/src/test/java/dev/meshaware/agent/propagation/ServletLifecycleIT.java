package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshaware.agent.apps.ServiceApp;
import dev.meshaware.agent.testing.ChildJvm;
import dev.meshaware.agent.testing.MeshedService;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request scope on the paths a servlet request can end by: async completion on the container's
 * executor, and a handler that throws. Tomcat runs with a single worker thread so that the next
 * request is served by the same thread.
 */
class ServletLifecycleIT {

  @Test
  void asyncServletWorkCarriesItsRequestsHeaders() throws Exception {
    try (MeshedService service =
        MeshedService.start("tomcat", ChildJvm.running(ServiceApp.class))) {
      Map<String, String> sent = PropagationMatrixIT.traceHeaders("async");
      assertThat(service.get("/async-call", "client=okhttp&path=/async", sent)).isEqualTo("200");
      LoggedRequest received = service.received("/async").get(0);
      sent.forEach((name, value) -> assertThat(received.getHeader(name)).as(name).isEqualTo(value));
    }
  }

  @Test
  void aHandlerThatThrowsLeavesNothingBehindOnItsThread() throws Exception {
    try (MeshedService service =
        MeshedService.start(
            "tomcat", ChildJvm.running(ServiceApp.class).property("server.threads", "1"))) {
      service.get(
          "/fail-call",
          "client=urlconnection&path=/failing",
          PropagationMatrixIT.traceHeaders("f"));
      assertThat(service.received("/failing").get(0).getHeader("x-request-id")).isNotNull();
      assertThat(service.output()).contains("handler failed on purpose");

      assertThat(service.call("client=urlconnection&path=/after-failure", Map.of()))
          .isEqualTo("200");
      LoggedRequest next = service.received("/after-failure").get(0);
      assertThat(next.getHeader("x-request-id"))
          .as("the failed request's id must not leak")
          .isNull();
      assertThat(next.getHeader("x-b3-traceid")).isNull();
    }
  }
}
