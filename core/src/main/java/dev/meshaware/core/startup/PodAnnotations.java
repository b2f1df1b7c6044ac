package dev.meshaware.core.startup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads a Kubernetes downward-API annotations file (lines of {@code key="value"}, the value quoted
 * as Go quotes strings) for what the meshes' injectors wrote on the pod before any container
 * started, so the file answers "which mesh, which proxy?" exactly, where the ports can only be
 * watched for a while:
 *
 * <ul>
 *   <li>Istio's injector writes {@code sidecar.istio.io/status} on every pod it gave a proxy; its
 *       JSON lists {@code istio-proxy} under {@code initContainers} for a native sidecar and under
 *       {@code containers} for a classic one.
 *   <li>Istio's CNI agent writes {@code ambient.istio.io/redirection: enabled} on an ambient pod
 *       ({@code pending} from 1.25 while ztunnel has not taken the pod yet: still no proxy in it).
 *   <li>Linkerd's injector writes {@code linkerd.io/proxy-version} on every pod it gave a proxy.
 *       {@code config.alpha.linkerd.io/proxy-enable-native-sidecar} (2.15; {@code config.beta.}
 *       from 2.19, {@code config.linkerd.io/} from 2.20) says whether the proxy is a native sidecar
 *       when set on the pod or its namespace; without it the proxy is one from Linkerd 2.20 on
 *       (edge 26.5.2), a container before.
 * </ul>
 */
final class PodAnnotations {
  static final String SIDECAR_STATUS = "sidecar.istio.io/status";
  static final String AMBIENT_REDIRECTION = "ambient.istio.io/redirection";
  static final String LINKERD_PROXY_VERSION = "linkerd.io/proxy-version";
  static final String LINKERD_NATIVE_SIDECAR = "proxy-enable-native-sidecar";
  private static final String ISTIO_PROXY = "\"istio-proxy\"";
  private static final long MAX_BYTES = 1 << 20;

  /** The first stable and edge releases whose proxy is a native sidecar by default. */
  private static final int LINKERD_NATIVE_STABLE_MINOR = 20;

  private static final int[] LINKERD_NATIVE_EDGE = {26, 5, 2};

  private final MeshDetection detection;
  private final String problem;

  private PodAnnotations(MeshDetection detection, String problem) {
    this.detection = detection;
    this.problem = problem;
  }

  static PodAnnotations read(String file) {
    try {
      Path path = Paths.get(file);
      if (Files.isDirectory(path)) {
        return unreadable(
            "a directory: name the annotations file in it, e.g. " + path.resolve("annotations"));
      }
      if (Files.exists(path) && !Files.isRegularFile(path)) {
        // A FIFO blocks open() until a writer comes, a device may never end: neither is read.
        return unreadable("not a regular file");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes((int) MAX_BYTES + 1); // never more, whatever Files.size says
      }
      if (bytes.length > MAX_BYTES) {
        return unreadable("larger than 1 MiB");
      }
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      String istioStatus = null;
      boolean ambient = false;
      String linkerdVersion = null;
      Boolean linkerdNative = null;
      for (String line : text.split("\r\n|\r|\n", -1)) {
        int equals = line.indexOf('=');
        if (equals < 0) {
          continue;
        }
        String key = line.substring(0, equals).trim();
        String value = unquote(line.substring(equals + 1).trim());
        if (key.equals(SIDECAR_STATUS)) {
          istioStatus = value;
        } else if (key.equals(AMBIENT_REDIRECTION)) {
          ambient = value.equals("enabled") || value.equals("pending");
        } else if (key.equals(LINKERD_PROXY_VERSION)) {
          linkerdVersion = value;
        } else if (isLinkerdNativeSidecarKey(key)) {
          Boolean parsed = goBool(value);
          if (parsed != null) {
            linkerdNative = parsed; // as Linkerd's injector: a value it cannot read is ignored
          }
        }
      }
      String in = " in " + file;
      if (istioStatus != null) {
        boolean nativeSidecar = listsProxyAsInitContainer(istioStatus);
        return found(
            nativeSidecar ? MeshMode.ISTIO_NATIVE_SIDECAR : MeshMode.ISTIO_SIDECAR,
            SIDECAR_STATUS
                + (nativeSidecar
                    ? " lists istio-proxy as an init container"
                    : " lists istio-proxy as a container")
                + in);
      }
      if (ambient) {
        return found(MeshMode.ISTIO_AMBIENT, AMBIENT_REDIRECTION + " set" + in);
      }
      if (linkerdVersion != null) {
        boolean byDefault = linkerdNative == null;
        boolean nativeSidecar = byDefault ? nativeByDefault(linkerdVersion) : linkerdNative;
        return found(
            nativeSidecar ? MeshMode.LINKERD_NATIVE_SIDECAR : MeshMode.LINKERD_SIDECAR,
            LINKERD_PROXY_VERSION
                + "="
                + shorten(linkerdVersion)
                + (byDefault
                    ? (nativeSidecar
                        ? ", a native sidecar by default from 2.20"
                        : ", a sidecar container by default before 2.20")
                    : " and " + LINKERD_NATIVE_SIDECAR + "=" + nativeSidecar)
                + in);
      }
      return found(
          MeshMode.NONE,
          "no "
              + SIDECAR_STATUS
              + ", "
              + AMBIENT_REDIRECTION
              + " or "
              + LINKERD_PROXY_VERSION
              + in);
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage();
      return unreadable(e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }
  }

  /**
   * Whether Istio's status JSON names {@code istio-proxy} among the init containers: {@code
   * {"initContainers":["istio-validation","istio-proxy"],"containers":null,...}}.
   */
  static boolean listsProxyAsInitContainer(String status) {
    int key = status.indexOf("\"initContainers\"");
    if (key < 0) {
      return false;
    }
    int colon = status.indexOf(':', key);
    if (colon < 0) {
      return false;
    }
    int open = colon + 1;
    while (open < status.length() && Character.isWhitespace(status.charAt(open))) {
      open++;
    }
    if (open >= status.length() || status.charAt(open) != '[') {
      return false; // null: no init container at all
    }
    int close = status.indexOf(']', open);
    return close > open && status.substring(open, close).contains(ISTIO_PROXY);
  }

  private static boolean isLinkerdNativeSidecarKey(String key) {
    return key.equals("config.alpha.linkerd.io/" + LINKERD_NATIVE_SIDECAR)
        || key.equals("config.beta.linkerd.io/" + LINKERD_NATIVE_SIDECAR)
        || key.equals("config.linkerd.io/" + LINKERD_NATIVE_SIDECAR);
  }

  /** A boolean as Go's {@code strconv.ParseBool} reads it, which Linkerd uses; null otherwise. */
  static Boolean goBool(String value) {
    switch (value) {
      case "1":
      case "t":
      case "T":
      case "true":
      case "TRUE":
      case "True":
        return Boolean.TRUE;
      case "0":
      case "f":
      case "F":
      case "false":
      case "FALSE":
      case "False":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  /**
   * Whether a Linkerd proxy of {@code version} ({@code stable-2.20.1}, {@code edge-26.5.2}) is a
   * native sidecar unless told otherwise; false for a version it cannot read.
   */
  static boolean nativeByDefault(String version) {
    try {
      if (version.startsWith("stable-2.") || version.startsWith("enterprise-2.")) {
        String minor = version.substring(version.indexOf("2.") + 2).split("\\.", -1)[0];
        return Integer.parseInt(minor) >= LINKERD_NATIVE_STABLE_MINOR;
      }
      if (version.startsWith("edge-")) {
        String[] parts = version.substring(5).split("\\.", -1);
        for (int i = 0; i < LINKERD_NATIVE_EDGE.length && i < parts.length; i++) {
          int part = Integer.parseInt(parts[i]);
          if (part != LINKERD_NATIVE_EDGE[i]) {
            return part > LINKERD_NATIVE_EDGE[i];
          }
        }
        return parts.length >= LINKERD_NATIVE_EDGE.length;
      }
    } catch (RuntimeException e) {
      // An unreadable version: the older default.
    }
    return false;
  }

  /** Undoes the Go quoting of a downward-API value: surrounding quotes, {@code \"}, {@code \\}. */
  static String unquote(String raw) {
    if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
      return raw;
    }
    StringBuilder text = new StringBuilder(raw.length());
    for (int i = 1; i < raw.length() - 1; i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length() - 1) {
        char next = raw.charAt(++i);
        text.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static String shorten(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }

  private static PodAnnotations found(MeshMode mode, String evidence) {
    return new PodAnnotations(new MeshDetection(mode, "pod annotations: " + evidence), null);
  }

  private static PodAnnotations unreadable(String problem) {
    return new PodAnnotations(null, problem);
  }

  /** What the annotations say, or null when the file could not be read. */
  MeshDetection detection() {
    return detection;
  }

  /** Why the file could not be read, or null. */
  String problem() {
    return problem;
  }
}
