package org.sealgate.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.sealgate.node.SealgateNode;

/** {@code sealgate node --data DIR}: runs one production node until it is stopped (SIGTERM / Ctrl-C). */
final class NodeCommand {
    /** How long a stop may take before the JVM ends anyway: a stop must never hang (systemd, Ctrl-C). */
    static final long STOP_LIMIT_SECONDS = 30;

    private NodeCommand() {
    }

    static int run(List<String> args) throws Exception {
        if (NodeDrainCommand.handles(args)) {
            return NodeDrainCommand.run(args, System.out, System.err);
        }
        Arguments arguments = new Arguments(args, Set.of("data"));
        SealgateNode node = SealgateNode.fromDataDirectory(arguments.existingDataDirectory("sealgate.properties"));
        CliLogging.toFiles(node.layout().data().resolve("logs"), "node");
        runUntilStopped(node);
        return 0;
    }

    /**
     * Starts the node and blocks; a shutdown hook stops it cleanly on SIGTERM or Ctrl-C, then closes what the
     * node depended on (the demo's embedded ZooKeeper), in the order given. The stop is bounded: whatever is
     * still closing after {@link #STOP_LIMIT_SECONDS} is abandoned and the JVM halts. A start that fails throws
     * (the node has closed what it started); the caller exits, which runs the same hook.
     */
    static void runUntilStopped(SealgateNode node, AutoCloseable... afterNode) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Thread closing = new Thread(() -> {
                node.close();
                for (AutoCloseable dependency : afterNode) {
                    try {
                        dependency.close();
                    } catch (Exception e) {
                        System.err.println("sealgate: " + dependency.getClass().getSimpleName() + " did not close cleanly: " + e);
                    }
                }
            }, "sealgate-stop");
            closing.setDaemon(true);
            closing.start();
            try {
                closing.join(TimeUnit.SECONDS.toMillis(STOP_LIMIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (closing.isAlive()) {
                System.err.println("sealgate: the stop did not finish within " + STOP_LIMIT_SECONDS + " s; exiting anyway");
                System.err.flush();
                Runtime.getRuntime().halt(1);
            }
            stopped.countDown();
        }, "sealgate-shutdown"));
        node.start();
        stopped.await();
    }
}
