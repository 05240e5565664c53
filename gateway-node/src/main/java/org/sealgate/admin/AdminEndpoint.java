package org.sealgate.admin;

import java.net.InetSocketAddress;

/**
 * The node's admin HTTP endpoint: {@code GET /healthz}, {@code GET /metrics} (unauthenticated, no secrets: bound to
 * loopback or a management address), {@code POST /drain}, {@code POST /resume}, {@code GET /drain} (token in
 * {@code DATA/admin/token}). Lifecycle: started by {@link AdminEndpoints#start}, closed once; close is idempotent.
 */
public interface AdminEndpoint extends AutoCloseable {

    /** Where it listens (the real port when 0 was asked for). */
    InetSocketAddress address();

    @Override
    void close();
}
