package dev.meshaware.agent.apps;

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
        throw new IllegalArgumentException("unknown inbound " + kind);
    }
  }
}
