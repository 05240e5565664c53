package org.sealgate.keys.discovery;

import java.util.Objects;

/**
 * Raw bytes a source answered with, not yet trusted in any way: a source (an attacker-controlled directory, a
 * network observer on the way) may return anything.
 *
 * @param kind    what the source claims the bytes are
 * @param source  the source's name, e.g. {@code wkd}, {@code ldap}
 * @param encoded DER/PEM certificate or binary/armored OpenPGP certificate
 */
public record DiscoveryCandidate(DiscoveredKey.Kind kind, String source, byte[] encoded) {
    public DiscoveryCandidate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        encoded = encoded.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }
}
