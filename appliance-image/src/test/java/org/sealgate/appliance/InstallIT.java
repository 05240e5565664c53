package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.SmtpSink;

/**
 * The package installed into a fresh Debian 12 root (mmdebstrap): user, permissions and units as installed; then
 * the root booted with systemd-nspawn, configured by {@code sealgate setup --from FILE}, relaying and encrypting a
 * mail to a next hop. Root only (CI runs as root).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallIT {
    private static final Duration COMMAND = Duration.ofMinutes(2);
    private static final List<String> UNITS = List.of("sealgate-node.service", "sealgate-gina.service",
        "sealgate-vip-watch@.service", "sealgate-zookeeper.service", "sealgate-keepalived-reload.service",
        "sealgate-keepalived-reload.path");

    private Path root;

    @BeforeAll
    void installIntoAFreshRoot() throws Exception {
        Requirements.appliance();
        BootedAppliance.sweepLeftovers();
        root = ApplianceRoot.workDirectory().resolve("install");
        ApplianceRoot.create(root, DebianPackage.built());
    }

    @AfterAll
    void removeRoot() throws Exception {
        if (root != null) {
            ApplianceRoot.remove(root);
        }
    }

    @Test
    @Order(1)
    void packageShouldCreateAnUnprivilegedSystemUserAndOwnerOnlyData() throws Exception {
        String[] user = Command.check(COMMAND, "chroot", root.toString(), "getent", "passwd", "sealgate").strip().split(":");
        assertThat(Integer.parseInt(user[2])).isBetween(100, 999);                 // a system user
        assertThat(user[5]).isEqualTo("/var/lib/sealgate");
        assertThat(user[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(stat("/var/lib/sealgate")).isEqualTo("700 sealgate sealgate");
        assertThat(stat("/etc/sealgate")).isEqualTo("750 root sealgate");
        assertThat(stat("/etc/sealgate/environment")).isEqualTo("644 root root");
        assertThat(stat("/usr/share/sealgate/lib")).isEqualTo("755 root root");
        assertThat(stat("/usr/bin/sealgate")).isEqualTo("755 root root");
        assertThat(Command.check(COMMAND, "chroot", root.toString(), "dpkg-query", "-W", "-f", "${Status}", "sealgate"))
            .isEqualTo("install ok installed");
    }

    @Test
    @Order(2)
    void unitsShouldVerifyInTheInstalledSystem() throws Exception {
        for (String unit : UNITS) {
            Command verify = Command.run(COMMAND, "systemd-analyze", "verify", "--root=" + root,
                root.resolve("lib/systemd/system").resolve(unit).toString());
            assertThat(verify.exitStatus()).as(unit + ": " + verify.output()).isZero();
            assertThat(verify.output().lines().filter(l -> l.contains("sealgate"))).as(unit).isEmpty();
        }
    }

    @Test
    @Order(3)
    void setupFromAFileShouldBringUpANodeThatRelaysAndEncryptsAMail(@TempDir Path scratch) throws Exception {
        int smtpPort = FreePorts.next();
        try (SmtpSink nextHop = SmtpSink.onFreePort();
             BootedAppliance appliance = BootedAppliance.boot(root, "install", scratch.resolve("nspawn.log"))) {
            ApplianceNode.configureAndStart(appliance, root, smtpPort, nextHop.port());

            ApplianceNode.send(smtpPort, "install-1@test.example", "Our quarterly figures");
            MimeMessage delivered = nextHop.awaitOne(ApplianceNode.PARTNER, "install-1@test.example");

            assertThat(ApplianceNode.decryptAsPartner(SmtpSink.raw(delivered), root.resolve("srv/partner"), scratch))
                .contains("Our quarterly figures");
            // Supervised as the unprivileged user, logging to the journal.
            String pid = appliance.check(COMMAND, "systemctl", "show", "-p", "MainPID", "--value", "sealgate-node").strip();
            assertThat(appliance.check(COMMAND, "stat", "-c", "%U", "/proc/" + pid).strip()).isEqualTo("sealgate");
            assertThat(appliance.check(COMMAND, "journalctl", "-u", "sealgate-node", "--no-pager"))
                .contains("Sealgate node up: SMTP on 127.0.0.1:" + smtpPort);
            // Made at boot for keepalived's notify FIFO and script (root writes, the unprivileged vip watch reads).
            assertThat(appliance.check(COMMAND, "stat", "-c", "%a %U %G", "/run/sealgate/vip").strip())
                .isEqualTo("2750 root sealgate");
        }
    }

    @Test
    @Order(4)
    void removeShouldKeepConfigAndDataAndPurgeShouldDeleteThemAndTheUser() throws Exception {
        Command.check(COMMAND, "chroot", root.toString(), "dpkg", "--remove", "sealgate");
        assertThat(root.resolve("usr/bin/sealgate")).doesNotExist();
        assertThat(root.resolve("etc/sealgate/sealgate.properties")).exists();     // written by setup in test 3
        assertThat(root.resolve("var/lib/sealgate/keys")).isDirectory();

        Command.check(COMMAND, "chroot", root.toString(), "dpkg", "--purge", "sealgate");
        assertThat(root.resolve("etc/sealgate")).doesNotExist();
        assertThat(root.resolve("var/lib/sealgate")).doesNotExist();
        assertThat(Command.run(COMMAND, "chroot", root.toString(), "getent", "passwd", "sealgate").exitStatus()).isEqualTo(2);
    }

    private String stat(String path) throws Exception {
        return Command.check(COMMAND, "chroot", root.toString(), "stat", "-c", "%a %U %G", path).strip();
    }
}
