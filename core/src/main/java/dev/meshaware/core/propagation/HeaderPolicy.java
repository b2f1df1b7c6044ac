package dev.meshaware.core.propagation;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which headers are captured from an inbound request and where they may go. Values are never
 * changed: a value is forwarded byte-exact or not at all (Envoy keeps its sampling decision inside
 * {@code x-request-id}; a trimmed or re-encoded id breaks the trace).
 */
public final class HeaderPolicy {
  /**
   * Longest value forwarded, in characters. W3C asks carriers to keep at least 512 characters of
   * {@code tracestate}; 4096 leaves room for long vendor state while staying far below Envoy's 60
   * KiB header block.
   */
  public static final int MAX_VALUE_LENGTH = 4096;

  /** Most characters of values forwarded in total (gRPC's Netty client allows 8 KiB of headers). */
  public static final int MAX_TOTAL_LENGTH = 6144;

  private final String[] names;

  /** Open-addressing table of name indexes, hashed case-insensitively; see {@link #indexOf}. */
  private final int[] slots;

  private final HostGlobs excludedHosts;
  private final TopicGlobs excludedTopics;
  private final PeriodicWork periodic;

  HeaderPolicy(
      List<String> names,
      HostGlobs excludedHosts,
      TopicGlobs excludedTopics,
      PeriodicWork periodic) {
    this.names = names.toArray(new String[0]);
    this.slots = new int[Integer.highestOneBit(Math.max(4, this.names.length * 4)) * 2];
    java.util.Arrays.fill(slots, -1);
    for (int i = 0; i < this.names.length; i++) {
      int slot = lowerCaseHash(this.names[i]) & (slots.length - 1);
      while (slots[slot] >= 0) {
        slot = (slot + 1) & (slots.length - 1);
      }
      slots[slot] = i;
    }
    this.excludedHosts = excludedHosts;
    this.excludedTopics = excludedTopics;
    this.periodic = periodic;
  }

  /** The policy the settings describe; extra headers that may never be forwarded are reported. */
  public static HeaderPolicy from(MeshawareSettings settings) {
    Set<String> names = new LinkedHashSet<>(HeaderNames.DEFAULTS);
    for (String extra : settings.get(MeshawareKeys.PROPAGATION_EXTRA_HEADERS)) {
      String reason = HeaderNames.neverForwardedBecause(extra);
      if (reason != null) {
        MeshLog.warn(
            MeshawareKeys.PROPAGATION_EXTRA_HEADERS.key()
                + " names '"
                + extra
                + "', which is never forwarded because "
                + reason
                + "; ignoring it");
      } else {
        names.add(extra);
      }
    }
    HostGlobs excluded = settings.get(MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS);
    for (String problem : excluded.problems()) {
      MeshLog.warn(
          MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS.key()
              + ": "
              + problem
              + "; ignoring it (accepted: "
              + MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS.acceptedForm()
              + ")");
    }
    TopicGlobs topics = settings.get(MeshawareKeys.PROPAGATION_EXCLUDE_TOPICS);
    for (String problem : topics.problems()) {
      MeshLog.warn(
          MeshawareKeys.PROPAGATION_EXCLUDE_TOPICS.key()
              + ": "
              + problem
              + "; no record gets headers until it is fixed (accepted: "
              + MeshawareKeys.PROPAGATION_EXCLUDE_TOPICS.acceptedForm()
              + ")");
    }
    return new HeaderPolicy(
        new ArrayList<>(names), excluded, topics, settings.get(MeshawareKeys.PROPAGATION_PERIODIC));
  }

  /**
   * A policy that reads and forwards nothing: the inbound entry points then only mark requests and
   * count them for the shutdown drain, as when header forwarding is switched off but the drain is
   * not.
   */
  public static HeaderPolicy none() {
    return new HeaderPolicy(
        Collections.emptyList(), HostGlobs.parse(""), TopicGlobs.parse(""), PeriodicWork.NONE);
  }

  /** The lower-case names to read from an inbound request, in a fixed order. */
  public List<String> names() {
    return Collections.unmodifiableList(java.util.Arrays.asList(names));
  }

  /** How many names {@link #names()} holds: the size of the array {@link #capture} takes. */
  public int nameCount() {
    return names.length;
  }

  /** The name at {@code index} of {@link #names()}. */
  public String name(int index) {
    return names[index];
  }

  /**
   * The index in {@link #names()} of {@code name} in any case, or -1; allocates nothing, so a
   * server whose header lookup would copy every name (the JDK's {@code Headers}) can instead walk
   * the headers that arrived and ask for each.
   */
  public int indexOf(String name) {
    int slot = lowerCaseHash(name) & (slots.length - 1);
    for (int index; (index = slots[slot]) >= 0; slot = (slot + 1) & (slots.length - 1)) {
      String candidate = names[index];
      if (candidate.length() == name.length()
          && candidate.regionMatches(true, 0, name, 0, name.length())) {
        return index;
      }
    }
    return -1;
  }

  private static int lowerCaseHash(String name) {
    int hash = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      hash = 31 * hash + (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    return hash ^ (hash >>> 16);
  }

  /**
   * Builds the captured headers from raw inbound values, {@code raw[i]} being the value of {@link
   * #name(int) name(i)} or null. Values that are empty, carry control or non-ASCII characters, or
   * exceed the caps are dropped. Returns null when nothing is left: then nothing is forwarded and
   * the sidecar makes new ids, as it would without meshaware.
   */
  public CapturedHeaders capture(String[] raw) {
    // Counted first, so the arrays are made once, of the exact size: this runs for every request
    // and every consumed record.
    int count = 0;
    int total = 0;
    int limit = Math.min(raw.length, names.length);
    for (int i = 0; i < limit; i++) {
      String value = raw[i];
      if (value != null && isForwardable(value) && total + value.length() <= MAX_TOTAL_LENGTH) {
        count++;
        total += value.length();
      }
    }
    if (count == 0) {
      return null;
    }
    String[] keptNames = new String[count];
    String[] keptValues = new String[count];
    total = 0;
    for (int i = 0, kept = 0; i < limit && kept < count; i++) {
      String value = raw[i];
      if (value != null && isForwardable(value) && total + value.length() <= MAX_TOTAL_LENGTH) {
        keptNames[kept] = names[i];
        keptValues[kept++] = value;
        total += value.length();
      }
    }
    return new CapturedHeaders(keptNames, keptValues);
  }

  /**
   * True for a value meshaware may copy: 1 to {@link #MAX_VALUE_LENGTH} visible ASCII characters or
   * spaces. Control characters (CR, LF, NUL, TAB...) could split or smuggle headers; non-ASCII
   * bytes are rejected by several clients (OkHttp throws), and a trace id never needs them.
   */
  public static boolean isForwardable(String value) {
    int length = value.length();
    if (length == 0 || length > MAX_VALUE_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * False when a call to {@code host} (as the client holds it, any case, IPv6 with or without
   * brackets) on {@code port} (-1: unknown) is excluded by {@code
   * meshaware.propagation.exclude-hosts}, or when the list is set and {@code host} cannot be read
   * (see {@link HostGlobs}).
   */
  public boolean forwardsTo(String host, int port) {
    return !excludedHosts.matches(host, port);
  }

  /** {@link #forwardsTo(String, int)} with the port unknown. */
  public boolean forwardsTo(String host) {
    return !excludedHosts.matches(host, -1);
  }

  /**
   * {@link #forwardsTo(String, int)} for a call to {@code uri}: its host (a URI without one, as
   * {@code java.net.URI} gives for a name with {@code _}, counts as excluded while the list is set)
   * and its port or the scheme's default.
   */
  public boolean forwardsTo(java.net.URI uri) {
    return !excludedHosts.matches(uri);
  }

  /**
   * The hosts that never receive forwarded headers ({@code meshaware.propagation.exclude-hosts}).
   */
  public HostGlobs excludedHosts() {
    return excludedHosts;
  }

  /**
   * False when records to {@code topic} are excluded by {@code
   * meshaware.propagation.exclude-topics}.
   */
  public boolean forwardsToTopic(String topic) {
    return !excludedTopics.matches(topic);
  }

  /** The topics whose records never receive forwarded headers. */
  public TopicGlobs excludedTopics() {
    return excludedTopics;
  }

  /** What periodic work scheduled during a request carries. */
  public PeriodicWork periodic() {
    return periodic;
  }
}
