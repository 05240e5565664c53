package org.sealgate.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.sealgate.node.SealgateNode;

/** {@code sealgate node --data DIR}: runs one production node until it is stopped (SIGTERM / Ctrl-C). */
final class NodeCommand {
    private NodeCommand() {
    }

    static int run(List<String> args) throws Exception {
        Arguments arguments = new Arguments(args, Set.of("data"));
        SealgateNode node = SealgateNode.fromDataDirectory(arguments.dataDirectory());
        runUntilStopped(node);
        return 0;
    }

    /** Starts the node and blocks; a shutdown hook stops it cleanly on SIGTERM or Ctrl-C. */
    static void runUntilStopped(SealgateNode node) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "sealgate-shutdown"));
        node.start();
        stopped.await();
    }
}
