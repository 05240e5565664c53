package org.sealgate.zk.store;

/** Another apply got in first: the version this one was based on is no longer current. Nothing was written. */
public final class ConfigConflictException extends Exception {
    private final int expectedVersion;
    private final int currentVersion;

    public ConfigConflictException(int expectedVersion, int currentVersion, String currentAuthor) {
        super("configuration changed concurrently: this apply was based on version " + expectedVersion
            + " but version " + currentVersion + " is current" + (currentAuthor == null ? "" : " (applied by " + currentAuthor + ")")
            + "; nothing was written. Look at version " + currentVersion + " ('config show'), merge, and apply again.");
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    public int expectedVersion() {
        return expectedVersion;
    }

    /** The version this apply lost against. */
    public int currentVersion() {
        return currentVersion;
    }
}
