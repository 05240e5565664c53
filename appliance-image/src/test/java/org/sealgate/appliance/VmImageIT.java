package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.FreePorts;

/**
 * The bootable VM image: {@code build-vm.sh} makes the qcow2 from this build's package, QEMU boots it under TCG
 * (no /dev/kvm here), the serial console shows the first-boot setup, and the ACPI power button (QMP
 * {@code system_powerdown}) shuts it down cleanly. Then the same image with setup answers handed in through
 * fw_cfg comes up as a running node. Root only; slow (measured on the loaded 2-core machine: the first run builds
 * a Debian root with a kernel, ~23 min; then ~2.5 min for the image, ~1.5–3 min for the first boot and power-off,
 * 5–9 min for the seeded boot to a running node; the whole class 7–12 min with the root cached), so {@code ./sealgate test --skip-vm} skips it locally; never
 * under CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmImageIT {
    /** Measured: a small VM boots to a login in 30–40 s under TCG; this one on a shared 2-core machine. */
    private static final Duration BOOT = Duration.ofMinutes(6);
    /** The node's JVM under TCG: minutes. */
    private static final Duration NODE_UP = Duration.ofMinutes(12);
    private static final Duration POWER_OFF = Duration.ofMinutes(3);
    private static final String FIRST_BOOT = "=== Sealgate first-boot setup ===";

    private Path image;

    @BeforeAll
    void buildTheImage() throws Exception {
        VmImage.skipUnlessWanted();
        VmImage.requireTools();
        QemuVm.sweepLeftovers();
        image = VmImage.build(DebianPackage.built());
    }

    @Test
    @Order(1)
    void imageShouldBeACompressedQcow2WithRoomForTheQueue() throws Exception {
        String info = Command.check(Duration.ofMinutes(1), "qemu-img", "info", "--output=json", image.toString());
        assertThat(info).contains("\"format\": \"qcow2\"").contains("\"virtual-size\": 4294967296");
        // Only what is written is stored: far less than the virtual disk.
        assertThat(Files.size(image)).isLessThan(1536L * 1024 * 1024);
        assertThat(image.getFileName().toString()).matches("sealgate_.+_amd64\\.qcow2");
    }

    @Test
    @Order(2)
    void firstBootShouldAskForARootPasswordAndSetupOnTheConsoleAndPowerOffCleanly(@TempDir Path scratch) throws Exception {
        try (QemuVm vm = QemuVm.boot("firstboot", image, scratch, null, List.of())) {
            String log = vm.awaitSerial(BOOT, "first-boot setup", l -> l.contains("New password:"));

            assertThat(log).contains("SYSLINUX").contains("Linux version")     // extlinux from the MBR booted the kernel
                .contains("Debian GNU/Linux 12")
                .contains(FIRST_BOOT).contains("sealgate setup --from FILE")
                .contains("First set a password for root");
            assertThat(log).doesNotContain("[FAILED]").doesNotContain("Kernel panic");

            vm.pressPowerButton();
            int exit = vm.awaitExit(POWER_OFF);
            String shutdown = vm.serialLog();
            assertThat(exit).as("qemu exit status (-1: still running)\n" + QemuVm.tail(shutdown)).isZero();
            assertThat(shutdown).contains("reboot: Power down");
            assertThat(shutdown.substring(shutdown.indexOf("New password:"))).doesNotContain("[FAILED]");
        }
    }

    @Test
    @Order(3)
    void setupAnswersHandedInThroughFwCfgShouldBringUpARunningNode(@TempDir Path scratch) throws Exception {
        int smtp = FreePorts.next();
        Path answers = scratch.resolve("setup.properties");
        Files.writeString(answers, """
            node.id = vm1
            node.hostname = vm1.example.org
            domains.managed = example.org
            smtp.host = 0.0.0.0
            smtp.port = 2525
            smtp.trusted-networks = 198.18.16.0/24
            """);
        try (QemuVm vm = QemuVm.boot("seeded", image, scratch, answers, List.of("127.0.0.1:" + smtp + "-:2525"))) {
            String log = vm.awaitSerial(NODE_UP, "the node up",
                l -> l.contains("Sealgate node up: SMTP on") || l.contains("did not come up")
                    || l.contains("seeded answers FAILED"));
            // The node's own log line, echoed to the console by the first boot (journald does not forward).
            assertThat(log).containsPattern("sealgate-firstboot: .*Sealgate node up: SMTP on 0\\.0\\.0\\.0:2525")
                .doesNotContain(FIRST_BOOT);

            // The gateway answers SMTP from outside the VM (QEMU forwards a loopback port of this host).
            assertThat(smtpGreeting(smtp)).startsWith("220 ").contains("vm1.example.org");

            vm.pressPowerButton();
            assertThat(vm.awaitExit(POWER_OFF)).as(QemuVm.tail(vm.serialLog())).isZero();
            assertThat(vm.serialLog()).contains("reboot: Power down");
        }
    }

    private static String smtpGreeting(int port) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(60_000);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
                if (line != null) {
                    return line;
                }
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("no SMTP greeting on 127.0.0.1:" + port, last);
    }
}
