package org.sealgate.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.Prerequisites;
import org.sealgate.zk.config.ClusterConfig;
import org.sealgate.zk.config.ConfigDocument;
import org.sealgate.zk.config.Documents;

class KeepalivedConfigTest {
    @TempDir
    Path dir;

    @Test
    void renderShouldGiveThePrimaryItsPriorityAHealthCheckThatFaultsAndTheNotifyFifoScript() throws Exception {
        String text = KeepalivedConfig.render(config(Documents.valid()), "node-a", 7, KeepalivedOptions.defaults());

        assertThat(text).contains("rendered from cluster configuration version 7")
            .contains("    enable_script_security\n    script_user root\n")
            .contains("script \"/usr/share/sealgate/vip/check-portal.sh https://127.0.0.1:8443/healthz\"")
            .contains("    weight 0")
            .contains("    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    priority 150    # role primary\n")
            .contains("    advert_int 1\n")
            .contains("        198.18.0.100/32 dev eth0\n")
            .contains("    vrrp_notify_fifo /run/sealgate/vip/notify.fifo\n")
            .contains("    vrrp_notify_fifo_script \"/usr/share/sealgate/vip/notify.sh /run/sealgate/vip\"\n")
            .doesNotContain("    notify ").doesNotContain("vrrp_version").doesNotContain("nopreempt").doesNotContain("authentication");
        assertThat(KeepalivedConfig.render(config(Documents.valid()), "node-b", 7, KeepalivedOptions.defaults()))
            .contains("priority 100    # role secondary");
    }

    @Test
    void renderShouldSpeakVrrp3ForAFractionalIntervalAndStayBackupWithoutPreempt() throws Exception {
        String text = KeepalivedConfig.render(config(vip("advert-interval: 0.2\n  preempt: false")), "node-b", 1,
            KeepalivedOptions.defaults());

        assertThat(text).contains("    vrrp_version 3\n").contains("    advert_int 0.2\n").contains("    nopreempt\n")
            .contains("    state BACKUP\n");
    }

    @Test
    void renderShouldWriteTheNodeLocalPasswordAndMaskedShouldHideIt() throws Exception {
        ClusterConfig config = config(vip("authentication: pass"));
        assertThatThrownBy(() -> KeepalivedConfig.render(config, "node-a", 1, KeepalivedOptions.defaults()))
            .hasMessageContaining("no password was given");

        String text = KeepalivedConfig.render(config, "node-a", 1, KeepalivedOptions.defaults().withAuthPass("s3cr#t"));

        assertThat(text).contains("        auth_type PASS\n        auth_pass s3cr#t\n");
        assertThat(KeepalivedConfig.masked(text)).doesNotContain("s3cr#t").contains("auth_pass ********");
    }

    @Test
    void optionsShouldRefuseValuesThatCouldAddLinesOrWordsToTheFile() {
        assertThatThrownBy(() -> KeepalivedConfig.render(config(Documents.valid()), "node-x", 1, KeepalivedOptions.defaults()))
            .hasMessageContaining("node 'node-x' is not in the cluster document (nodes: node-a, node-b)");
        assertThatThrownBy(() -> new KeepalivedOptions(Path.of("/opt/x\"\n}\nglobal_defs {"), KeepalivedOptions.DEFAULT_STATE,
            OptionalInt.empty(), Optional.empty())).hasMessageContaining("may hold only");
        assertThatThrownBy(() -> KeepalivedOptions.defaults().withAuthPass("a b\nc"))
            .hasMessage("the VRRP password must be 1 to 8 printable characters without spaces, quotes or backslashes");
        assertThatThrownBy(() -> KeepalivedOptions.defaults().withAuthPass("waytoolongpassword"))
            .hasMessageNotContaining("waytoolongpassword");
    }

    @Test
    void keepalivedShouldAcceptTheRenderedConfigurationAndItsInstalledScripts() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "keepalived (Debian package keepalived)");
        // keepalived runs scripts only from paths no one but root can change (a sticky /tmp passes; target/ is used as CI has it).
        Path scripts = Path.of("target", "vip-scripts-test").toAbsolutePath();
        VipScripts.install(scripts);
        for (String document : List.of(Documents.valid(), vip("advert-interval: 0.2\n  preempt: false"))) {
            KeepalivedOptions options = new KeepalivedOptions(scripts, dir.resolve("state"), OptionalInt.of(8443), Optional.empty());
            Path file = dir.resolve("keepalived.conf");
            Files.writeString(file, KeepalivedConfig.render(config(document), "node-b", 3, options), StandardCharsets.UTF_8);

            Result result = run("keepalived", "--config-test", "-f", file.toString());

            assertThat(result.status()).as(result.output()).isZero();
        }
        Files.writeString(dir.resolve("broken.conf"), "vrrp_instance x {\n    interface\n    no_such_keyword 1\n}\n");
        assertThat(run("keepalived", "--config-test", "-f", dir.resolve("broken.conf").toString()).status())
            .as("the check must be able to fail").isNotZero();
    }

    @Test
    void shippedScriptsShouldRecordTheStateAndRefuseToProbeAnythingButTheLocalPortal() throws Exception {
        Path scripts = dir.resolve("scripts");
        VipScripts.install(scripts);
        Path state = dir.resolve("state");

        assertThat(run(scripts.resolve("notify.sh").toString(), state.toString(), "INSTANCE", "sealgate_vip", "MASTER", "150")
            .status()).isZero();
        assertThat(run(scripts.resolve("notify.sh").toString(), state.toString(), "INSTANCE", "x;rm -rf /", "EVIL$(id)", "1")
            .status()).isZero();

        assertThat(Files.readString(state.resolve("state"))).startsWith("UNKNOWN ");
        assertThat(Files.readAllLines(state.resolve("vip-audit.jsonl"))).hasSize(2)
            .first().asString().contains("\"event\":\"vip-state\",\"instance\":\"sealgate_vip\",\"state\":\"MASTER\",\"priority\":150");
        assertThat(Files.readAllLines(state.resolve("vip-audit.jsonl")).get(1)).contains("\"instance\":\"unknown\"")
            .contains("\"state\":\"UNKNOWN\"").doesNotContain("rm -rf");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("state")))).isEqualTo("rw-r-----");
        Result refused = run(scripts.resolve("check-portal.sh").toString(), "https://198.18.13.9:8443/healthz");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.output()).contains("refusing URL");
        assertThat(run(scripts.resolve("check-portal.sh").toString(), "https://127.0.0.1:1/healthz").status())
            .as("nothing listens on port 1").isNotZero();
    }

    private static ClusterConfig config(String document) throws Exception {
        return ConfigDocument.parse(document).config();
    }

    private static String vip(String extra) {
        return Documents.valid().replace("virtual-router-id: 51", "virtual-router-id: 51\n  " + extra);
    }

    record Result(int status, String output) {
    }

    static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
