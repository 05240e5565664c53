package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.Prerequisites;

/** {@code sealgate vip render|scripts} on the demo's data directory and embedded ZooKeeper. */
class VipCommandTest {
    @TempDir
    Path work;

    record Result(int status, String out, String err) {
    }

    @Test
    void renderOnTheDemoShouldPrintAConfigurationKeepalivedAccepts() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "keepalived (Debian package keepalived)");
        Path data = work.resolve("demo");
        DemoSetup.create(data);
        // keepalived runs scripts only from paths no one but root can change.
        Path scripts = Path.of("target", "vip-command-test", "scripts").toAbsolutePath();
        try (EmbeddedZooKeeper zooKeeper = DemoCluster.start(data)) {
            assertThat(vip("scripts", scripts.toString()).out()).contains("installed check-portal.sh, notify.sh");

            Result printed = vip("render", "--node", "demo", "--data", data.toString(), "--scripts", scripts.toString(),
                "--state-dir", work.resolve("state").toString());

            assertThat(printed.status()).as(printed.err()).isZero();
            assertThat(printed.out()).contains("vrrp_instance sealgate_vip").contains("virtual_router_id 51")
                .contains("priority 150    # role primary").contains("127.0.0.2/32 dev " + DemoCluster.vipInterface());
            Path file = work.resolve("keepalived.conf");
            Files.writeString(file, printed.out(), StandardCharsets.UTF_8);
            Result check = run("keepalived", "--config-test", "-l", "-f", file.toString());
            assertThat(check.status()).as(check.out()).isZero();

            Path written = work.resolve("etc/keepalived.conf");
            assertThat(vip("render", "--node", "demo", "--data", data.toString(), "--out", written.toString()).out())
                .contains("wrote keepalived configuration of node demo (configuration version 1)");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-------");
            assertThat(Files.readString(written)).contains("script \"/usr/share/sealgate/vip/check-portal.sh");

            assertThatThrownBy(() -> vip("render", "--node", "nobody", "--data", data.toString()))
                .hasMessageContaining("node 'nobody' is not in the cluster document (nodes: demo)");
            Result status = cluster("status", "--data", data.toString());
            assertThat(status.out()).contains("VIP 127.0.0.2: held by no node (no MASTER reported, no 'sealgate vip watch' running)");
        }
    }

    private static Result vip(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VipCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result cluster(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ClusterCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output, "");
    }
}
