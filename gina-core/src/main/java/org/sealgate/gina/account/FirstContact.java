package org.sealgate.gina.account;

import java.util.Optional;

/**
 * What {@link GinaAccounts#ensureAccount} did: created the account (then {@code firstPassword} holds the only
 * clear copy of the first password, to deliver once and forget) or found one already there.
 */
public record FirstContact(String address, boolean created, Optional<String> firstPassword) {
    @Override
    public String toString() {
        return "FirstContact[" + address + ", created=" + created + "]";
    }
}
