package org.sealgate.zk.config;

/**
 * One thing wrong with a configuration document: where (field path such as {@code nodes[1].priority}, plus line
 * and column, both counted from 1) and what.
 */
public record ConfigError(String path, int line, int column, String message) {

    @Override
    public String toString() {
        String where = path.isEmpty() ? "document" : path;
        return where + " (line " + line + ", column " + column + "): " + message;
    }
}
