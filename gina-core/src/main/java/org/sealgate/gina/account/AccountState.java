package org.sealgate.gina.account;

/** Where a recipient's account stands. */
public enum AccountState {
    /** Created on first contact; only the first password (delivered out of band) works, and only to register. */
    AWAITING_REGISTRATION,
    /** Registered with the recipient's own password. */
    ACTIVE,
    /** Too many failures (or an admin's decision): only a password reset opens it again. */
    LOCKED
}
