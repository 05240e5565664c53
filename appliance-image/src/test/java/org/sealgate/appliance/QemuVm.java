package org.sealgate.appliance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The VM image booted under QEMU with TCG (no /dev/kvm here): the disk as a throw-away snapshot (the image stays
 * as built), the serial console into a file, QMP on a UNIX socket for the ACPI power button, and the only network
 * QEMU's user-mode one in 198.18.16.0/24 with {@code restrict=on} (the guest reaches nothing outside; DHCP from
 * QEMU itself). {@link #close} kills what a failed test left running.
 */
final class QemuVm implements AutoCloseable {
    static final String NAME_PREFIX = "sg-vm-";
    private static final Duration QMP = Duration.ofSeconds(30);

    private final Process qemu;
    private final Path serial;
    private final Path qmp;

    private QemuVm(Process qemu, Path serial, Path qmp) {
        this.qemu = qemu;
        this.serial = serial;
        this.qmp = qmp;
    }

    /**
     * Boots {@code image}. {@code fwCfgSetup}, when given, is handed to the guest as
     * {@code opt/sealgate/setup} (the first boot runs setup from it); {@code hostForwards} maps loopback ports of
     * this host to guest ports ({@code "127.0.0.1:H-:G"}).
     */
    static QemuVm boot(String name, Path image, Path directory, Path fwCfgSetup, List<String> hostForwards)
            throws IOException {
        Path serial = directory.resolve(name + "-serial.log");
        Path qmp = directory.resolve(name + "-qmp.sock");
        Files.deleteIfExists(qmp);
        StringBuilder netdev = new StringBuilder("user,id=n0,net=198.18.16.0/24,restrict=on");
        for (String forward : hostForwards) {
            netdev.append(",hostfwd=tcp:").append(forward);
        }
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-name", NAME_PREFIX + name,
            "-accel", "tcg", "-m", "1024", "-smp", "2", "-no-user-config", "-nodefaults",
            "-display", "none", "-vga", "none", "-serial", "file:" + serial, "-monitor", "none",
            "-qmp", "unix:" + qmp + ",server=on,wait=off",
            "-drive", "file=" + image + ",format=qcow2,if=virtio,snapshot=on",
            "-netdev", netdev.toString(), "-device", "virtio-net-pci,netdev=n0"));
        if (fwCfgSetup != null) {
            argv.addAll(List.of("-fw_cfg", "name=opt/sealgate/setup,file=" + fwCfgSetup));
        }
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true)
            .redirectOutput(directory.resolve(name + "-qemu.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new QemuVm(qemu, serial, qmp);
    }

    /** The serial console so far (kernel, systemd, the first-boot setup), without systemd's colour codes. */
    String serialLog() throws IOException {
        String raw = Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
        return raw.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
    }

    /** Waits, bounded, until the serial console shows what {@code seen} looks for; fails with the log's tail. */
    String awaitSerial(Duration timeout, String what, Predicate<String> seen) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String log = serialLog();
            if (seen.test(log)) {
                return log;
            }
            if (!qemu.isAlive()) {
                throw new IllegalStateException("qemu ended (" + qemu.exitValue() + ") before " + what + ":\n" + tail(log));
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("no " + what + " on the serial console within " + timeout + ":\n" + tail(serialLog()));
    }

    /** Presses the ACPI power button through QMP ({@code system_powerdown}): the guest shuts down by itself. */
    void pressPowerButton() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(qmp));
            readReply(channel, "\"QMP\"");                          // the greeting
            send(channel, "{\"execute\":\"qmp_capabilities\"}");
            readReply(channel, "\"return\"");
            send(channel, "{\"execute\":\"system_powerdown\"}");
            readReply(channel, "\"return\"");
        }
    }

    /** Waits, bounded, for QEMU to end (the guest powered off); its exit status, or -1 if it still runs. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return qemu.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) ? qemu.exitValue() : -1;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (qemu.isAlive()) {
            qemu.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(qmp);
    }

    /** Ends QEMU processes a failed earlier run left behind (by their {@code -name} prefix). */
    static void sweepLeftovers() throws InterruptedException {
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system-x86_64 ")
                && c.contains(" -name " + NAME_PREFIX)).orElse(false))
            .toList();
        for (ProcessHandle leftover : leftovers) {
            leftover.destroyForcibly();
            try {
                leftover.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a leftover qemu did not end: " + leftover.pid(), e);
            }
        }
    }

    static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    private static void send(SocketChannel channel, String command) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Reads QMP lines until one contains {@code expected} (events may come first); an error reply fails. */
    private static void readReply(SocketChannel channel, String expected) throws IOException {
        Instant deadline = Instant.now().plus(QMP);
        StringBuilder received = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        channel.configureBlocking(false);
        try {
            while (Instant.now().isBefore(deadline)) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    throw new IOException("QMP closed; got: " + received);
                }
                if (n == 0) {
                    sleep();
                    continue;
                }
                received.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
                for (String line : received.toString().split("\n")) {
                    if (line.contains("\"error\"")) {
                        throw new IOException("QMP error: " + line);
                    }
                    if (line.contains(expected) && line.strip().endsWith("}")) {
                        return;
                    }
                }
            }
            throw new IOException("no QMP reply with " + expected + " within " + QMP + "; got: " + received);
        } finally {
            channel.configureBlocking(true);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
