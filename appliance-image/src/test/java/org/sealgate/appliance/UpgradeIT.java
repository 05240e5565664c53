package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.SmtpSink;

/**
 * An upgrade loses nothing: mail queued while the next hop is down survives installing a newer package (same
 * content, higher version) into the running appliance, whose postinst restarts the node; when the next hop comes
 * back every mail arrives exactly once, and configuration and keys are what they were.
 */
class UpgradeIT {
    private static final Duration COMMAND = Duration.ofMinutes(3);
    /** James retries after 2 s, 30 s, then 5 min: the mail queued before the upgrade arrives at the third try. */
    private static final Duration DELIVERY = Duration.ofMinutes(9);
    private static final List<String> IDS = List.of("upgrade-1@test.example", "upgrade-2@test.example",
        "upgrade-3@test.example");
    /** What must not change: settings, policy, partner certificates and the node's TLS key. */
    private static final String FINGERPRINTS =
        "find /etc/sealgate /var/lib/sealgate/keys /var/lib/sealgate/tls /var/lib/sealgate/secrets -type f "
        + "-exec sha256sum {} + | sort";

    private Path root;

    @BeforeEach
    void installIntoAFreshRoot() throws Exception {
        Requirements.appliance();
        BootedAppliance.sweepLeftovers();
        root = ApplianceRoot.workDirectory().resolve("upgrade");
        ApplianceRoot.create(root, DebianPackage.built());
    }

    @AfterEach
    void removeRoot() throws Exception {
        if (root != null) {
            ApplianceRoot.remove(root);
        }
    }

    @Test
    void mailQueuedBeforeAnUpgradeShouldBeDeliveredOnceAfterItWithConfigAndKeysKept(@TempDir Path scratch) throws Exception {
        int smtpPort = FreePorts.next();
        int nextHopPort = FreePorts.next();   // nothing listens there until after the upgrade
        Path newer = newerPackage(DebianPackage.built(), scratch);
        try (BootedAppliance appliance = BootedAppliance.boot(root, "upgrade", scratch.resolve("nspawn.log"))) {
            ApplianceNode.configureAndStart(appliance, root, smtpPort, nextHopPort);
            for (String id : IDS) {
                ApplianceNode.send(smtpPort, id, "queued across the upgrade: " + id);
            }
            String before = appliance.check(COMMAND, "sh", "-c", FINGERPRINTS);
            String pidBefore = mainPid(appliance);

            // Not /tmp: systemd-nspawn mounts a tmpfs over it in the booted container.
            Files.copy(newer, root.resolve("root/newer.deb"));
            appliance.check(COMMAND, "dpkg", "-i", "/root/newer.deb");

            assertThat(appliance.check(COMMAND, "dpkg-query", "-W", "-f", "${Version}", "sealgate"))
                .isEqualTo(version(newer));
            assertThat(mainPid(appliance)).as("postinst restarted the running node").isNotEqualTo(pidBefore);
            assertThat(appliance.check(COMMAND, "sh", "-c", FINGERPRINTS)).isEqualTo(before).contains("sealgate.properties");

            try (SmtpSink nextHop = new SmtpSink(nextHopPort)) {
                Instant deadline = Instant.now().plus(DELIVERY);
                while (Instant.now().isBefore(deadline) && !delivered(nextHop).keySet().containsAll(IDS)) {
                    Thread.sleep(2000);
                }
                Thread.sleep(15_000);   // time for a duplicate to show up, were there one
                Map<String, Long> counts = delivered(nextHop);
                assertThat(counts).as("deliveries per Message-ID").isEqualTo(
                    IDS.stream().collect(Collectors.toMap(Function.identity(), id -> 1L)));
                MimeMessage first = nextHop.awaitOne(ApplianceNode.PARTNER, IDS.get(0));
                assertThat(ApplianceNode.decryptAsPartner(SmtpSink.raw(first), root.resolve("srv/partner"), scratch))
                    .contains("queued across the upgrade: " + IDS.get(0));
            }
        }
    }

    private static Map<String, Long> delivered(SmtpSink nextHop) {
        return nextHop.messagesFor(ApplianceNode.PARTNER).stream()
            .map(m -> SmtpSink.messageId(m).replaceAll("[<>]", ""))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static String mainPid(BootedAppliance appliance) throws Exception {
        return appliance.check(COMMAND, "systemctl", "show", "-p", "MainPID", "--value", "sealgate-node").strip();
    }

    /** The same package with a higher version ({@code +upgrade1}): what the next release looks like to dpkg. */
    static Path newerPackage(Path deb, Path scratch) throws Exception {
        Path tree = scratch.resolve("newer");
        Command.check(COMMAND, "dpkg-deb", "-R", deb.toString(), tree.toString());
        Path control = tree.resolve("DEBIAN/control");
        String current = version(deb);
        String next = current + "+upgrade1";
        Files.writeString(control, Files.readString(control).replace("Version: " + current, "Version: " + next));
        Path newer = scratch.resolve("sealgate_" + next + "_all.deb");
        Command.check(COMMAND, "dpkg-deb", "--build", "-Zgzip", tree.toString(), newer.toString());
        Command.check(COMMAND, "dpkg", "--compare-versions", next, "gt", current);
        return newer;
    }

    private static String version(Path deb) throws Exception {
        return Command.check(COMMAND, "dpkg-deb", "-f", deb.toString(), "Version").strip();
    }
}
