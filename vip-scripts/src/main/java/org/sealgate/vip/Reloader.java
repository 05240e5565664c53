package org.sealgate.vip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How {@code vip watch} makes keepalived read a new configuration: SIGHUP to the pid in keepalived's pid file
 * (keepalived reloads on SIGHUP without dropping the VIP), or a command (e.g. {@code systemctl reload keepalived}),
 * run without a shell.
 */
public interface Reloader {

    /** @return what was done, for the log */
    String reload() throws IOException, InterruptedException;

    /** Whether keepalived runs; empty when this reloader cannot tell. */
    default Optional<Boolean> keepalivedRunning() {
        return Optional.empty();
    }

    static Reloader signal(Path pidFile) {
        return new Reloader() {
            @Override
            public String reload() throws IOException, InterruptedException {
                Optional<Long> pid = pid();
                if (pid.isEmpty()) {
                    return "keepalived not running (no live pid in " + pidFile + "); it reads the file when it starts";
                }
                run(List.of("kill", "-HUP", Long.toString(pid.get())));
                return "sent SIGHUP to keepalived (pid " + pid.get() + ")";
            }

            @Override
            public Optional<Boolean> keepalivedRunning() {
                return Optional.of(pid().isPresent());
            }

            private Optional<Long> pid() {
                try {
                    String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
                    long pid = Long.parseLong(text);
                    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid);
                } catch (IOException | NumberFormatException e) {
                    return Optional.empty();
                }
            }
        };
    }

    static Reloader command(List<String> command) {
        List<String> copy = List.copyOf(command);
        return () -> {
            run(copy);
            return "ran " + String.join(" ", copy);
        };
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
    }
}
