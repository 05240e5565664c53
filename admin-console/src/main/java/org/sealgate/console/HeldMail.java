package org.sealgate.console;

import java.util.List;

/**
 * The seam for held mail (issue 17's held-mail store, {@code org.sealgate.held}): the console lists held mails
 * and releases or deletes them through this interface, CSRF-checked and audited with the admin's name like every
 * other action. Until the store is wired in, {@link #NONE} says so on the page and refuses every action.
 */
public interface HeldMail {
    /** One held mail as the console shows it. */
    record Item(String id, String heldAt, String sender, List<String> recipients, String reason) {
    }

    /** Whether held mail can be managed here; when false, {@link #why()} says why. */
    boolean available();

    String why();

    List<Item> list() throws Exception;

    /** Re-runs the policy on the mail (a release never bypasses "encryption required"). */
    void release(String id, String admin) throws Exception;

    void delete(String id, String admin) throws Exception;

    HeldMail NONE = new HeldMail() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public String why() {
            return "Held mail is managed with './sealgate mail held' until the held-mail store is connected to the console.";
        }

        @Override
        public List<Item> list() {
            return List.of();
        }

        @Override
        public void release(String id, String admin) {
            throw new UnsupportedOperationException(why());
        }

        @Override
        public void delete(String id, String admin) {
            throw new UnsupportedOperationException(why());
        }
    };
}
