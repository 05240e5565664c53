package org.sealgate.policy;

/** What happens to mail that must be encrypted when no usable certificate exists. */
public enum UnencryptableAction {
    /** Return the mail to its sender with the reason. */
    BOUNCE,
    /** Keep it in the quarantine repository for an administrator. */
    HOLD
}
