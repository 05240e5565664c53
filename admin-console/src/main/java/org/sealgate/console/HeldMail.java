package org.sealgate.console;

import java.util.List;

/**
 * The seam for held mail: the console lists held mails and releases or deletes them through this interface,
 * CSRF-checked and audited with the admin's name like every other action. {@link ClusterHeld} implements it over
 * every node's admin endpoint; {@link #NONE} says on the page that held mail is not available here.
 */
public interface HeldMail {
    /** One held mail as the console shows it, with the node that holds it. */
    record Item(String node, String id, String heldAt, String sender, List<String> recipients, String reason) {
    }

    /** The held mail of the nodes reached, and the nodes not reached with why. */
    record Listing(List<Item> items, List<String> unreachable) {
    }

    /** What a release or delete came to; {@code done} false: nothing changed (the message says why). */
    record Outcome(boolean done, String message) {
    }

    /** Whether held mail can be managed here; when false, {@link #why()} says why. */
    boolean available();

    String why();

    Listing list() throws Exception;

    /** Re-runs the policy on the mail (a release never bypasses "encryption required"). */
    Outcome release(String node, String id, String admin) throws Exception;

    Outcome delete(String node, String id, String admin) throws Exception;

    HeldMail NONE = new HeldMail() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public String why() {
            return "Held mail is managed with './sealgate mail held' on this console.";
        }

        @Override
        public Listing list() {
            return new Listing(List.of(), List.of());
        }

        @Override
        public Outcome release(String node, String id, String admin) {
            throw new UnsupportedOperationException(why());
        }

        @Override
        public Outcome delete(String node, String id, String admin) {
            throw new UnsupportedOperationException(why());
        }
    };
}
