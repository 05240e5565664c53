package org.sealgate.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A demo service in its own JVM (the GINA portal, the admin console: Jetty 12, which must not meet James's Jetty 9):
 * started with its output in a log file, ready once its port accepts, stopped and waited for on close.
 */
final class DemoChildJvm implements AutoCloseable {
    private static final int READY_SECONDS = 60;

    private final Process process;
    private final int port;

    private DemoChildJvm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code mainClass} and waits until it listens on 127.0.0.1:{@code port}, or says why not. */
    static DemoChildJvm start(String what, String classpath, String heap, String mainClass, Path dataDirectory, Path log,
                              int port) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-cp", classpath, mainClass,
            "--data", dataDirectory.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        DemoChildJvm child = new DemoChildJvm(process, port);
        if (!child.awaitListening()) {
            child.close();
            throw new IOException(what + " did not start within " + READY_SECONDS + " s; see " + log);
        }
        return child;
    }

    /** {@code preferred} on 127.0.0.1 when free, else a free port (said on the console, naming {@code what}). */
    static int preferredOrFree(int preferred, String what) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), preferred));
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                System.out.println("Port " + preferred + " is taken; " + what + " uses " + socket.getLocalPort());
                return socket.getLocalPort();
            }
        }
    }

    int port() {
        return port;
    }

    private boolean awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
                return true;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
