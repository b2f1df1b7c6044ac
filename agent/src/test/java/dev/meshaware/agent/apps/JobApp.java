package dev.meshaware.agent.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A batch job: registers a shutdown hook that, after a pause, calls {@code app.hookUrl} (an
 * outbound call that needs the proxy still running), then ends as {@code app.end} says: {@code
 * return} from main, {@code exit0}/{@code exit1} ({@code System.exit} once a line arrives on
 * standard input), {@code exit0soon} ({@code System.exit(0)} {@code app.exitAfterMs} after main
 * began), {@code throw} from main, or {@code wait} until stopped. With {@code app.listen} ({@code
 * host:port}) it first listens there a moment, as a job's metrics server would.
 */
public final class JobApp {
  public static final String HOOK_CALLED = "APP-HOOK-CALLED ";
  public static final String WORKING = "APP-WORKING";

  private JobApp() {}

  public static void main(String[] args) throws Exception {
    String hookUrl = System.getProperty("app.hookUrl");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Thread.sleep(300); // late enough that a racing quit would come first
                    HttpURLConnection call = (HttpURLConnection) new URL(hookUrl).openConnection();
                    System.out.println(HOOK_CALLED + call.getResponseCode());
                  } catch (Exception e) {
                    System.out.println(HOOK_CALLED + e);
                  }
                },
                "app-hook"));
    String listen = System.getProperty("app.listen");
    if (listen != null) {
      int colon = listen.lastIndexOf(':');
      try (ServerSocket server = new ServerSocket()) {
        server.bind(
            new InetSocketAddress(
                InetAddress.getByName(listen.substring(0, colon)),
                Integer.parseInt(listen.substring(colon + 1))));
      }
    }
    System.out.println(WORKING);
    switch (System.getProperty("app.end", "return")) {
      case "exit0":
        awaitLine();
        System.exit(0);
        break;
      case "exit1":
        awaitLine();
        System.exit(1);
        break;
      case "exit0soon":
        Thread.sleep(Long.getLong("app.exitAfterMs", 1000));
        System.exit(0);
        break;
      case "throw":
        throw new IllegalStateException("job failed");
      case "wait":
        Thread.sleep(Long.MAX_VALUE);
        break;
      default:
        // return: the job is done
    }
  }

  private static void awaitLine() throws Exception {
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }
}
