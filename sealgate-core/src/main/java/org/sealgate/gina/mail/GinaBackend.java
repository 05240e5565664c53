package org.sealgate.gina.mail;

import java.net.URI;
import java.util.Objects;

import org.sealgate.gina.account.GinaAccounts;
import org.sealgate.gina.key.KeyRing;

/**
 * What the GINA mailet needs from its node: the cluster GINA key ring (seals containers), the replicated account
 * store (first contact) and the portal's public URL (written into {@code secure-message.html}). A node that cannot
 * offer one of them answers {@link GinaUnavailableException} with the reason, and the mailet holds the mail.
 */
@FunctionalInterface
public interface GinaBackend {

    /** Asked once per mail, so a rotated key ring or a changed portal URL applies to the next mail. */
    Access access() throws GinaUnavailableException;

    /** @param portal the portal's base URL as recipients reach it (the cluster VIP name), {@code https} only */
    record Access(KeyRing keyRing, GinaAccounts accounts, URI portal) {
        public Access {
            Objects.requireNonNull(keyRing, "keyRing");
            Objects.requireNonNull(accounts, "accounts");
            if (!"https".equals(portal.getScheme())) {
                throw new IllegalArgumentException("the GINA portal URL must be https: " + portal);
            }
        }
    }

    /** A node without GINA (no ZooKeeper, no key ring): every mail routed to GINA is held with this reason. */
    static GinaBackend unavailable(String reason) {
        return () -> {
            throw new GinaUnavailableException(reason);
        };
    }

    static GinaBackend of(Access access) {
        return () -> access;
    }
}
