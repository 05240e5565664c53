package org.sealgate.revocation;

import java.util.Objects;

/**
 * What is known about one certificate's revocation.
 *
 * @param state   GOOD, REVOKED, or UNKNOWN (no source answered with a status we can trust)
 * @param source  where the answer came from ({@code ocsp}, {@code crl}, {@code imported-crl}), empty for UNKNOWN
 * @param detail  human-readable reason, for audit events and headers (never secret)
 */
public record RevocationStatus(State state, String source, String detail) {

    public enum State { GOOD, REVOKED, UNKNOWN }

    public RevocationStatus {
        Objects.requireNonNull(state, "state");
        source = source == null ? "" : source;
        detail = detail == null ? "" : detail;
    }

    public static RevocationStatus good(String source, String detail) {
        return new RevocationStatus(State.GOOD, source, detail);
    }

    public static RevocationStatus revoked(String source, String detail) {
        return new RevocationStatus(State.REVOKED, source, detail);
    }

    public static RevocationStatus unknown(String detail) {
        return new RevocationStatus(State.UNKNOWN, "", detail);
    }

    public boolean isGood() {
        return state == State.GOOD;
    }

    public boolean isRevoked() {
        return state == State.REVOKED;
    }

    public boolean isUnknown() {
        return state == State.UNKNOWN;
    }

    /** GOOD or REVOKED: an answer a source vouched for. */
    boolean definite() {
        return state != State.UNKNOWN;
    }
}
