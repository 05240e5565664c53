package org.sealgate.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One external command run to completion within a bound; its exit status and its output (stdout and stderr). */
record Command(List<String> argv, int exitStatus, String output) {

    static Command run(Duration timeout, String... argv) throws IOException, InterruptedException {
        return run(timeout, List.of(argv));
    }

    static Command run(Duration timeout, List<String> argv) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sg-app-cmd", ".log");
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("timed out after " + timeout + ": " + argv + "\n" + tail(log));
            }
            return new Command(argv, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Runs and requires exit status 0; the output otherwise in the failure. */
    static String check(Duration timeout, String... argv) throws IOException, InterruptedException {
        Command command = run(timeout, argv);
        if (command.exitStatus() != 0) {
            throw new IllegalStateException("exit " + command.exitStatus() + ": " + command.argv() + "\n" + command.output());
        }
        return command.output();
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
