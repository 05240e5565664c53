package org.sealgate.policy;

import java.util.Objects;

import org.sealgate.crypto.EncryptionPolicy;

/**
 * The minimal per-domain policy. Encryption settings apply when the domain is the recipient's; signing applies
 * when it is the sender's (a managed domain).
 */
public record DomainPolicy(EncryptionMode encryption,
                           boolean signOutbound,
                           EncryptionPolicy cms,
                           UnencryptableAction unencryptable) {

    public static final DomainPolicy DEFAULT =
        new DomainPolicy(EncryptionMode.OPPORTUNISTIC, true, EncryptionPolicy.DEFAULT, UnencryptableAction.BOUNCE);

    public DomainPolicy {
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(cms, "cms");
        Objects.requireNonNull(unencryptable, "unencryptable");
    }
}
