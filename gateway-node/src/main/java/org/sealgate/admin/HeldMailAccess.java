package org.sealgate.admin;

import org.sealgate.held.HeldMailException;
import org.sealgate.held.HeldMailStore;
import org.sealgate.held.HeldMessage;

/**
 * The node's held mail as its admin endpoint serves it. Release and delete are carried out before they return
 * (a release re-runs the policy, exactly as {@code sealgate mail held release} does) and audited with the caller.
 */
public interface HeldMailAccess {
    /** What a release or delete came to: {@code released}, {@code not-released}, {@code deleted}, {@code requested}. */
    record Result(String outcome, String message) {
    }

    HeldMailStore.Listing list();

    HeldMessage open(String id) throws HeldMailException;

    Result release(String id, String caller) throws HeldMailException;

    Result delete(String id, String caller) throws HeldMailException;

    /** A node without held mail (tests of the other endpoints). */
    HeldMailAccess NONE = new HeldMailAccess() {
        @Override
        public HeldMailStore.Listing list() {
            return new HeldMailStore.Listing(java.util.List.of(), java.util.Map.of());
        }

        @Override
        public HeldMessage open(String id) throws HeldMailException {
            throw new HeldMailException("no held mail " + id);
        }

        @Override
        public Result release(String id, String caller) throws HeldMailException {
            throw new HeldMailException("no held mail " + id);
        }

        @Override
        public Result delete(String id, String caller) throws HeldMailException {
            throw new HeldMailException("no held mail " + id);
        }
    };
}
