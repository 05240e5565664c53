package org.sealgate.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.sealgate.keys.IssuedIdentity;

/**
 * A real OCSP responder: {@code openssl ocsp -port N -index ... -CA ... -rsigner ... -rkey ...} answering from an
 * {@code openssl ca} index. Started and stopped by the test; {@link #close()} always kills the process.
 */
public final class OcspResponder implements AutoCloseable {
    private final Path directory;
    private final int port;
    private Process process;

    /**
     * @param ca       the CA certificate the index belongs to ({@code -CA})
     * @param signer   who signs the responses ({@code -rsigner}/{@code -rkey}): the CA itself, a delegated responder,
     *                 or (for attack tests) a stranger
     * @param index    index lines ({@link RevocationPki#indexLine})
     */
    public OcspResponder(Path directory, X509Certificate ca, IssuedIdentity signer, List<String> index) throws IOException {
        this(directory, ca, signer, index, FreePorts.next());
    }

    /** On a port chosen beforehand (the one the test certificates' AIA names). */
    public OcspResponder(Path directory, X509Certificate ca, IssuedIdentity signer, List<String> index, int port)
            throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        RevocationPki.writePem(directory.resolve("ca.pem"), ca);
        RevocationPki.writePem(directory.resolve("rsigner.pem"), signer.certificate());
        RevocationPki.writePem(directory.resolve("rkey.pem"), signer.keyPair().getPrivate());
        Files.writeString(directory.resolve(INDEX), String.join("", index));
        Files.writeString(directory.resolve(INDEX + ".attr"), "unique_subject = no\n");
        this.port = port;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** The index file name every responder uses: how {@link #sweepOrphans()} recognises ours. */
    private static final String INDEX = "sealgate-ocsp-index.txt";

    /**
     * Kills {@code openssl ocsp} responders of ours left behind by a test JVM that died (orphans: their parent is
     * gone or init), found by the index file name on their command line.
     */
    public static void sweepOrphans() {
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(" ocsp ") && c.contains(INDEX)).orElse(false))
            .filter(p -> p.parent().map(parent -> parent.pid() == 1 || !parent.isAlive()).orElse(true))
            .forEach(ProcessHandle::destroyForcibly);
    }

    /** Starts openssl and waits (bounded) until it accepts connections. */
    public OcspResponder start() throws IOException, InterruptedException {
        sweepOrphans();
        List<String> command = new ArrayList<>(List.of(OpenSsl.BINARY.toString(), "ocsp", "-port", String.valueOf(port),
            "-index", directory.resolve(INDEX).toString(), "-CA", directory.resolve("ca.pem").toString(),
            "-rsigner", directory.resolve("rsigner.pem").toString(), "-rkey", directory.resolve("rkey.pem").toString(),
            "-nmin", "10", "-ignore_err"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(directory.resolve("ocsp.log").toFile()).start();
        // Readiness from its log, not a probe connection: openssl's single-threaded responder stalls on a probe.
        Path log = directory.resolve("ocsp.log");
        for (int attempt = 0; attempt < 100; attempt++) {
            if (!process.isAlive()) {
                throw new IOException("openssl ocsp exited: " + Files.readString(log));
            }
            if (Files.exists(log) && Files.readString(log).contains("waiting for OCSP client connections")) {
                return this;
            }
            Thread.sleep(50);
        }
        close();
        throw new IOException("openssl ocsp did not listen on port " + port + " within 5 s");
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
