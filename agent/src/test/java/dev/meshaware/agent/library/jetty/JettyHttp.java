package dev.meshaware.agent.library.jetty;

import dev.meshaware.agent.testing.TestHttp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;

/**
 * Jetty 12's HTTP client for the shared tests: blocking {@code send()} and {@code send(listener)}.
 */
public final class JettyHttp implements TestHttp.Library {
  private static HttpClient client;

  private static synchronized HttpClient client() throws Exception {
    if (client == null) {
      client = new HttpClient();
      client.start();
    }
    return client;
  }

  @Override
  public Map<String, TestHttp.Client> clients() {
    Map<String, TestHttp.Client> clients = new LinkedHashMap<>();
    clients.put("jetty-client", (url, appSet) -> request(url, appSet).send().getStatus());
    clients.put(
        "jetty-client-async",
        (url, appSet) -> {
          CompletableFuture<Integer> status = new CompletableFuture<>();
          request(url, appSet)
              .send(
                  (Result result) -> {
                    if (result.isFailed()) {
                      status.completeExceptionally(result.getFailure());
                    } else {
                      status.complete(result.getResponse().getStatus());
                    }
                  });
          return status.get(10, TimeUnit.SECONDS);
        });
    return clients;
  }

  private static Request request(String url, String appSet) throws Exception {
    Request request = client().newRequest(url).timeout(10, TimeUnit.SECONDS);
    if (appSet != null) {
      request.headers(headers -> headers.put(TestHttp.APP_SET_HEADER, appSet));
    }
    return request;
  }
}
