package org.sealgate.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.SmtpSink;

/**
 * The OCI image built from the same package (src/oci/build-oci.sh: the cached Debian root + buildah with chroot
 * isolation, no Docker daemon), run with podman and runc: setup in a one-shot container writes the mounted
 * /etc/sealgate and the data volume, then the node container (one process, the unprivileged user) relays and
 * encrypts a mail. Containers and the image are named sg-app-* and removed afterwards, also after a failure.
 */
class OciImageIT {
    private static final Duration COMMAND = Duration.ofMinutes(10);
    private static final String IMAGE = "localhost/sg-app-sealgate:test";
    private static final String NODE = "sg-app-oci-node";

    @Test
    void imageShouldRunTheNodeAsOneUnprivilegedProcessThatRelaysAnEncryptedMail(@TempDir Path scratch) throws Exception {
        Requirements.appliance();
        for (String tool : List.of("buildah", "podman", "runc")) {
            Prerequisites.require(Command.onPath(tool), tool + " (apt-get install buildah podman runc)");
        }
        sweep();
        Path deb = DebianPackage.built();
        Path script = Path.of(System.getProperty("sealgate.oci.script", "src/oci/build-oci.sh")).toAbsolutePath();
        int smtpPort = FreePorts.next();
        try (SmtpSink nextHop = SmtpSink.onFreePort()) {
            Command.check(COMMAND, "sh", script.toString(), deb.toString(),
                ApplianceRoot.baseTarball(deb).toString(), IMAGE);
            Path etc = Files.createDirectories(scratch.resolve("etc"));
            Path data = Files.createDirectories(scratch.resolve("data"));
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(etc.resolve("setup.properties"), """
                node.id = oci1
                node.hostname = oci1.example.org
                domains.managed = example.org
                smtp.host = 127.0.0.1
                smtp.port = %d
                delivery.relay = 127.0.0.1:%d
                """.formatted(smtpPort, nextHop.port()));
            ApplianceNode.createPartner(etc);
            Files.setPosixFilePermissions(etc.resolve("carol.pem"), PosixFilePermissions.fromString("rw-r--r--"));

            podman(etc, data, List.of("--rm", "--user", "root"), "setup", "--from", "/etc/sealgate/setup.properties");
            podman(etc, data, List.of("--rm"), "keys", "import-cert", "/etc/sealgate/carol.pem", "--data", "/var/lib/sealgate");
            podman(etc, data, List.of("-d", "--name", NODE));
            ApplianceNode.awaitListening(smtpPort, Duration.ofMinutes(4), null);

            ApplianceNode.send(smtpPort, "oci-1@test.example", "Figures from the container");
            MimeMessage delivered = nextHop.awaitOne(ApplianceNode.PARTNER, "oci-1@test.example");
            assertThat(ApplianceNode.decryptAsPartner(SmtpSink.raw(delivered), etc, scratch))
                .contains("Figures from the container");
            // One process, the service user's, not root's.
            String top = Command.check(COMMAND, "podman", "top", NODE, "user", "comm");
            assertThat(top.lines().skip(1).toList()).hasSize(1).allMatch(l -> l.startsWith("sealgate") && l.contains("java"));
            Command.check(COMMAND, "podman", "stop", "-t", "60", NODE);
            assertThat(Command.check(COMMAND, "podman", "inspect", NODE, "--format", "{{.State.ExitCode}}").strip())
                .as("SIGTERM ends the node cleanly (143)").isIn("0", "143");
        } finally {
            sweep();
        }
    }

    /** {@code podman run} with runc and the limits this kind of machine needs, the host's network (loopback only used). */
    private static String podman(Path etc, Path data, List<String> options, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "run", "--runtime", "runc",
            "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768", "--network", "host",
            "-v", etc + ":/etc/sealgate", "-v", data + ":/var/lib/sealgate"));
        command.addAll(options);
        command.add(IMAGE);
        command.addAll(List.of(args));
        Command run = Command.run(COMMAND, command);
        if (run.exitStatus() != 0) {
            throw new IllegalStateException("exit " + run.exitStatus() + ": " + command + "\n" + run.output());
        }
        return run.output();
    }

    /** Removes this test's container and image, left over or not. */
    private static void sweep() throws Exception {
        Command.run(COMMAND, "podman", "rm", "-f", "--ignore", NODE);
        Command.run(COMMAND, "podman", "rmi", "-f", "--ignore", IMAGE);
    }
}
