package org.sealgate.appliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An appliance root booted with {@code systemd-nspawn -b} (systemd as PID 1, the host's network: the test talks to
 * it on loopback). Commands run inside through {@code nsenter} into the container's namespaces: machined is not
 * used ({@code --register=no --keep-unit}, which this kind of machine needs). Closing powers it off (systemd's
 * SIGRTMIN+4), bounded, then kills what is left.
 */
final class BootedAppliance implements AutoCloseable {
    static final String MACHINE_PREFIX = "sg-app-";
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration POWER_OFF = Duration.ofMinutes(2);

    private final Process nspawn;
    private final long leader;

    private BootedAppliance(Process nspawn, long leader) {
        this.nspawn = nspawn;
        this.leader = leader;
    }

    static BootedAppliance boot(Path root, String name, Path log) throws IOException, InterruptedException {
        Process nspawn = new ProcessBuilder("systemd-nspawn", "-b", "--register=no", "--keep-unit", "--console=passive",
            "--machine=" + MACHINE_PREFIX + name, "-D", root.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        BootedAppliance appliance = null;
        try {
            Instant deadline = Instant.now().plus(BOOT);
            Optional<ProcessHandle> init = Optional.empty();
            // nspawn's child becomes the container's init (systemd) once its namespaces are set up.
            while (init.isEmpty() && Instant.now().isBefore(deadline) && nspawn.isAlive()) {
                init = nspawn.children().filter(c -> c.info().command().map(cmd -> cmd.endsWith("/systemd")).orElse(false))
                    .findFirst();
                Thread.sleep(200);
            }
            if (init.isEmpty()) {
                throw new IllegalStateException("systemd-nspawn started no init:\n" + Files.readString(log));
            }
            appliance = new BootedAppliance(nspawn, init.get().pid());
            // Until systemd has its bus, systemctl cannot connect: ask again, bounded.
            String state = "";
            while (Instant.now().isBefore(deadline)) {
                state = appliance.run(BOOT, "systemctl", "is-system-running", "--wait").output();
                if (state.contains("running") || state.contains("degraded")) {
                    return appliance;
                }
                Thread.sleep(1000);
            }
            throw new IllegalStateException("the appliance did not boot: " + state + "\n" + Files.readString(log));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (appliance != null) {
                appliance.close();
            } else {
                nspawn.destroyForcibly();
            }
            throw e;
        }
    }

    /** Runs a command inside, as root, within the bound. */
    Command run(Duration timeout, String... argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--all", "--"));
        command.addAll(List.of(argv));
        return Command.run(timeout, command);
    }

    /** Runs and requires exit status 0. */
    String check(Duration timeout, String... argv) throws IOException, InterruptedException {
        Command command = run(timeout, argv);
        if (command.exitStatus() != 0) {
            throw new IllegalStateException("exit " + command.exitStatus() + " in the appliance: " + command.argv()
                + "\n" + command.output());
        }
        return command.output();
    }

    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(leader).ifPresent(init -> {
            try {
                new ProcessBuilder("kill", "-s", "SIGRTMIN+4", Long.toString(leader)).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                // falls through to the forced end below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!nspawn.waitFor(POWER_OFF.toSeconds(), TimeUnit.SECONDS)) {
            nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
            nspawn.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Ends containers a failed earlier run left behind (by their machine-name prefix). */
    static void sweepLeftovers() throws IOException, InterruptedException {
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("systemd-nspawn ")
                && c.contains("--machine=" + MACHINE_PREFIX)).orElse(false))
            .toList();
        for (ProcessHandle nspawn : leftovers) {
            nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
            nspawn.destroyForcibly();
            try {
                nspawn.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a leftover container did not end: " + nspawn.pid(), e);
            }
        }
    }
}
