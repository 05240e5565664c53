package org.sealgate.node;

/**
 * The node's side of held mail: carries out the administrator's pending requests (release: the mail enters the
 * pipeline again at its start, so the policy decides it anew; delete) and deletes mail past the retention limit.
 * Each action is one audit event. Lifecycle: started by {@link HeldMailServices#start}, {@link #close()} idempotent.
 */
interface HeldMailService extends AutoCloseable {

    /** Acts on what is pending now (also done every poll interval by the service's own thread). */
    void runOnce();

    /** Deletes mail past the retention limit now, at most one bounded batch; returns how many were deleted. */
    int sweep();

    @Override
    void close();
}
