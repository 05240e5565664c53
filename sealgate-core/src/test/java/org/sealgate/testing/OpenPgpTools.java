package org.sealgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs GnuPG 2.2 ({@code gpg}, in a temporary GNUPGHOME with its agent stopped on close) and Sequoia's stateless
 * CLI ({@code sqop}) as the independent OpenPGP implementations Sealgate is checked against. Output goes to files
 * so a chatty process never blocks on a full pipe. Neither supports v6 keys or SEIPDv2 in these versions.
 */
public final class OpenPgpTools implements AutoCloseable {
    public static final Path GPG = Path.of("/usr/bin/gpg");
    public static final Path GPGCONF = Path.of("/usr/bin/gpgconf");
    public static final Path SQOP = Path.of("/usr/bin/sqop");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path directory;
    private final Path home;

    public OpenPgpTools() {
        try {
            // Short path: gpg-agent's socket path must stay below the Unix socket length limit.
            directory = Files.createTempDirectory(Path.of("/tmp"), "sgpgp-");
            home = Files.createDirectory(directory.resolve("gnupg"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean gpgAvailable() {
        return Files.isExecutable(GPG);
    }

    public static boolean sqopAvailable() {
        return Files.isExecutable(SQOP);
    }

    public record Result(int exitCode, byte[] stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out() + "\nstderr:\n" + stderr;
        }
    }

    public Path file(String name) {
        return directory.resolve(name);
    }

    public Path write(String name, byte[] content) {
        try {
            return Files.write(directory.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(String name, String content) {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] read(String name) {
        try {
            return Files.readAllBytes(directory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** gpg in batch mode with the temporary home, no passphrases, trust every imported key (we test crypto, not WoT). */
    public Result gpg(String... arguments) {
        List<String> command = new ArrayList<>(List.of(GPG.toString(), "--homedir", home.toString(), "--batch", "--yes",
            "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", "--trust-model", "always"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    public Result sqop(String... arguments) {
        List<String> command = new ArrayList<>(List.of(SQOP.toString()));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** An ed25519/cv25519 key without passphrase in the gpg home; returns its armored public key. */
    public byte[] gpgGenerateKey(String userId) {
        Result generated = gpg("--quick-gen-key", userId, "future-default", "default", "never");
        if (!generated.ok()) {
            throw new IllegalStateException("gpg key generation failed: " + generated);
        }
        return gpgExportPublic(userId);
    }

    public byte[] gpgExportPublic(String userId) {
        return check(gpg("--armor", "--export", userId)).stdout();
    }

    public byte[] gpgExportSecret(String userId) {
        return check(gpg("--armor", "--export-secret-keys", userId)).stdout();
    }

    /** A key made by sqop (its defaults: ed25519 + cv25519, v4), armored, unprotected. */
    public byte[] sqopGenerateKey(String userId) {
        return check(sqop("generate-key", userId)).stdout();
    }

    public byte[] sqopExtractCert(String keyFile) {
        return check(run(List.of("/bin/sh", "-c", SQOP + " extract-cert < " + file(keyFile)))).stdout();
    }

    /** Runs a shell pipeline in the work directory (for sqop's stdin-based commands). */
    public Result shell(String script) {
        return run(List.of("/bin/sh", "-c", "cd " + directory + " && " + script));
    }

    public static Result check(Result result) {
        if (!result.ok()) {
            throw new IllegalStateException("command failed: " + result);
        }
        return result;
    }

    private Result run(List<String> command) {
        try {
            Path out = Files.createTempFile(directory, "stdout-", ".txt");
            Path err = Files.createTempFile(directory, "stderr-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("GNUPGHOME", home.toString());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder(GPGCONF.toString(), "--homedir", home.toString(), "--kill", "all")
                .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no agent was started
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
