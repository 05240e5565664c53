package org.sealgate.gina.container;

/** Why a container did not open; each maps to a clear message for the recipient and an audit event. */
public enum ContainerFailure {
    /** Not a container, truncated, or garbled framing. */
    MALFORMED,
    /** A format version this code does not read. */
    UNSUPPORTED_VERSION,
    /** Sealed for another address than the one logged in. */
    WRONG_RECIPIENT,
    /** Sealed under a key id this node does not know. */
    UNKNOWN_KEY,
    /** Sealed under a key id that has been retired. */
    RETIRED_KEY,
    /** GCM authentication failed: the container was changed (or the key is wrong). No plaintext is released. */
    INTEGRITY
}
