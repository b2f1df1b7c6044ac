package dev.meshaware.core.diagnostics;

/** Hints more specific than a cause's own, chosen when the evidence says more. */
final class Hints {
  /** UF whose transport failure reason names TLS: the handshake, not the TCP connect, failed. */
  static final String TLS_HANDSHAKE =
      "the TLS handshake with the destination failed: check the DestinationRule's"
          + " trafficPolicy.tls for this host against the destination's PeerAuthentication"
          + " (ISTIO_MUTUAL towards a pod without a sidecar, or SIMPLE/MUTUAL towards a port that"
          + " speaks plaintext, fail this way)";

  private Hints() {}
}
