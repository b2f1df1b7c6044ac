package dev.meshaware.core.startup;

import dev.meshaware.core.config.HttpEndpoint;

/**
 * The mesh arrangement the pod is in, which decides what each feature does (the README's table of
 * mesh modes, with the facts behind each row in docs/mesh-facts.md).
 */
public enum MeshMode {
  /** Istio's proxy as an ordinary container beside the application's. */
  ISTIO_SIDECAR("istio-sidecar", "Istio, sidecar container", Mesh.ISTIO, Proxy.CONTAINER),
  /**
   * Istio's proxy as a Kubernetes native sidecar: an init container with {@code restartPolicy:
   * Always}, started and ready before the application's container, stopped after it.
   */
  ISTIO_NATIVE_SIDECAR(
      "istio-native-sidecar", "Istio, native sidecar (init container)", Mesh.ISTIO, Proxy.NATIVE),
  /**
   * Istio ambient: no proxy in the pod; the node's ztunnel redirects traffic in the pod's network.
   */
  ISTIO_AMBIENT(
      "istio-ambient", "Istio ambient (ztunnel, no proxy in the pod)", Mesh.ISTIO, Proxy.NODE),
  /** Linkerd's proxy as an ordinary container. */
  LINKERD_SIDECAR("linkerd-sidecar", "Linkerd, sidecar container", Mesh.LINKERD, Proxy.CONTAINER),
  /** Linkerd's proxy as a Kubernetes native sidecar. */
  LINKERD_NATIVE_SIDECAR(
      "linkerd-native-sidecar",
      "Linkerd, native sidecar (init container)",
      Mesh.LINKERD,
      Proxy.NATIVE),
  /**
   * A Kubernetes pod where a sidecar may be but nothing conclusive was found (no annotations file,
   * no answer): treated as Istio's sidecar, the most common case, as before modes were known.
   */
  POSSIBLE_SIDECAR(
      "possible-sidecar", "not known (a sidecar may be here)", Mesh.ISTIO, Proxy.CONTAINER),
  /** No mesh: outside Kubernetes, or a pod without any proxy. */
  NONE("none", "no mesh", null, Proxy.NONE);

  /** The mesh a mode belongs to, with its proxy's endpoints. */
  public enum Mesh {
    ISTIO(
        "Istio",
        "http://127.0.0.1:15020/healthz/ready",
        "http://127.0.0.1:15020/quitquitquit",
        "kubectl logs <pod> -c istio-proxy"),
    LINKERD(
        "Linkerd",
        "http://127.0.0.1:4191/ready",
        "http://127.0.0.1:4191/shutdown",
        "kubectl logs <pod> -c linkerd-proxy");

    private final String title;
    private final HttpEndpoint readyUrl;
    private final HttpEndpoint quitUrl;
    private final String proxyLogs;

    Mesh(String title, String readyUrl, String quitUrl, String proxyLogs) {
      this.title = title;
      this.readyUrl = HttpEndpoint.parse(readyUrl);
      this.quitUrl = HttpEndpoint.parse(quitUrl);
      this.proxyLogs = proxyLogs;
    }

    public String title() {
      return title;
    }

    /** The proxy's readiness endpoint, which answers 200 once it can carry traffic. */
    public HttpEndpoint readyUrl() {
      return readyUrl;
    }

    /** The proxy's endpoint that makes it exit (Linkerd's may be disabled). */
    public HttpEndpoint quitUrl() {
      return quitUrl;
    }

    /** How to read the proxy's own log. */
    public String proxyLogs() {
      return proxyLogs;
    }
  }

  /** Where the proxy runs. */
  public enum Proxy {
    /** A container of the pod, started beside the application's and not ordered with it. */
    CONTAINER,
    /** A native sidecar: ready before the application starts, stopped after it ends. */
    NATIVE,
    /** On the node (Istio ambient's ztunnel), not in the pod. */
    NODE,
    /** No proxy at all. */
    NONE
  }

  private final String id;
  private final String title;
  private final Mesh mesh;
  private final Proxy proxy;

  MeshMode(String id, String title, Mesh mesh, Proxy proxy) {
    this.id = id;
    this.title = title;
    this.mesh = mesh;
    this.proxy = proxy;
  }

  /** As the report and the actuator show it, e.g. {@code istio-native-sidecar}. */
  public String id() {
    return id;
  }

  /** For people: "Istio, native sidecar (init container)". */
  public String title() {
    return title;
  }

  /** The mesh, or null for {@link #NONE}. */
  public Mesh mesh() {
    return mesh;
  }

  public Proxy proxy() {
    return proxy;
  }

  /** True where traffic goes through a mesh at all: the shutdown delay and the bind check apply. */
  public boolean meshed() {
    return this != NONE;
  }

  /** True where a proxy runs in the pod, so that there is something to wait for or to quit. */
  public boolean proxyInPod() {
    return proxy == Proxy.CONTAINER || proxy == Proxy.NATIVE;
  }
}
