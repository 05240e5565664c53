package org.sealgate.revocation;

import java.util.Objects;

/**
 * What is known about one certificate's revocation.
 *
 * @param state   GOOD, REVOKED, UNKNOWN (sources are named but none answered with a status we can trust), or
 *                NOT_PUBLISHED (the certificate names no source and no imported CRL covers it: nothing to ask)
 * @param source  where the answer came from ({@code ocsp}, {@code crl}, {@code imported-crl}), empty for UNKNOWN
 * @param detail  human-readable reason, for audit events and headers (never secret)
 */
public record RevocationStatus(State state, String source, String detail) {

    public enum State { GOOD, REVOKED, UNKNOWN, NOT_PUBLISHED }

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

    public static RevocationStatus notPublished(String detail) {
        return new RevocationStatus(State.NOT_PUBLISHED, "", detail);
    }

    public boolean isGood() {
        return state == State.GOOD;
    }

    public boolean isRevoked() {
        return state == State.REVOKED;
    }

    /** No answer, whether because sources failed or because none is published. */
    public boolean isUnknown() {
        return state == State.UNKNOWN || state == State.NOT_PUBLISHED;
    }

    /**
     * The certificate's CA publishes no revocation source for it: {@code revocation: prefer} uses it without a mark
     * (nothing failed, nothing was blocked), {@code require} refuses it like any unknown status.
     */
    public boolean isNotPublished() {
        return state == State.NOT_PUBLISHED;
    }

    /** GOOD or REVOKED: an answer a source vouched for. */
    boolean definite() {
        return state == State.GOOD || state == State.REVOKED;
    }
}
