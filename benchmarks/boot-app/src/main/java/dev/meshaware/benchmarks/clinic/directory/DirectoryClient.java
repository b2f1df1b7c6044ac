package dev.meshaware.benchmarks.clinic.directory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * The clinic's one outbound call: the notice of the day from the directory service (the harness's
 * downstream on loopback), through Boot's {@code RestClient.Builder}.
 */
@Component
public class DirectoryClient {
  private final RestClient client;

  DirectoryClient(RestClient.Builder builder, @Value("${clinic.directory.url}") String url) {
    this.client = builder.baseUrl(url).build();
  }

  /** The notice shown above the search results. */
  public String notice() {
    return client.get().retrieve().body(String.class);
  }
}
