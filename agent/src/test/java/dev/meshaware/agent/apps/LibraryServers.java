package dev.meshaware.agent.apps;

import dev.meshaware.agent.testing.TestHttp;

/** Inbound through third-party servers; loaded only when a test asks for one. */
final class LibraryServers {
  private LibraryServers() {}

  static int start(String kind) throws Exception {
    switch (kind) {
      case "tomcat":
        return TomcatServer.start();
      case "jetty":
        return JettyServer.start();
      case "grpc":
        return GrpcServer.start();
      case "reactor":
        return ReactorServer.start();
      default:
        TestHttp.Server registered = TestHttp.servers().get(kind);
        if (registered == null) {
          throw new IllegalArgumentException("unknown inbound " + kind);
        }
        return registered.start(ServiceApp::handle);
    }
  }
}
