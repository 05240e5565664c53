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
        if (NodeDrainCommand.handles(args)) {
            return NodeDrainCommand.run(args, System.out, System.err);
        }
        Arguments arguments = new Arguments(args, Set.of("data"));
        SealgateNode node = SealgateNode.fromDataDirectory(arguments.dataDirectory());
        runUntilStopped(node);
        return 0;
    }

    /**
     * Starts the node and blocks; a shutdown hook stops it cleanly on SIGTERM or Ctrl-C, then closes what the
     * node depended on (the demo's embedded ZooKeeper), in the order given.
     */
    static void runUntilStopped(SealgateNode node, AutoCloseable... afterNode) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            for (AutoCloseable dependency : afterNode) {
                try {
                    dependency.close();
                } catch (Exception e) {
                    System.err.println("sealgate: " + dependency.getClass().getSimpleName() + " did not close cleanly: " + e);
                }
            }
            stopped.countDown();
        }, "sealgate-shutdown"));
        node.start();
        stopped.await();
    }
}
