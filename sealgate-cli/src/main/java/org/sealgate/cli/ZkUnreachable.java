package org.sealgate.cli;

import java.time.Duration;

/**
 * The one wording of "no ZooKeeper answered": where the CLI tried, for how long, and what to check next (is it
 * running, is this the right address, does it speak TLS), so an admin is not left with a bare timeout.
 */
final class ZkUnreachable {
    private ZkUnreachable() {
    }

    static String message(String connect, Duration waited, boolean tls) {
        return "cannot reach ZooKeeper at " + connect + " within " + waited.toSeconds() + " s: is ZooKeeper running there"
            + " (the demo's: is `sealgate demo` running)? Check the address (--zk HOST:PORT,..., else zk.connect in"
            + " DATA/sealgate.properties)" + (tls
                ? "; TLS is on: check that the --zk-tls certificates (zk.tls.*) are this cluster's"
                : "; a TLS-only ensemble also needs --zk-tls FILE (zk.tls.* in sealgate.properties)");
    }
}
