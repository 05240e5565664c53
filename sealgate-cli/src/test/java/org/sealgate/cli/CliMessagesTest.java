package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.node.NodeSettings;
import org.sealgate.node.NodeStartException;

/** Every CLI error names the file, option or port and what to do; --help everywhere; quiet unless --verbose. */
class CliMessagesTest {
    @TempDir
    Path work;

    record Result(int status, String out, String err) {
    }

    @Test
    void missingPasswordFileShouldBeNamedWithTheOptionToFix() throws Exception {
        Path p12 = Files.writeString(work.resolve("user.p12"), "x");
        Result result = cli("keys", "import-p12", p12.toString(), "--password-file", "pw.txt", "--data", work.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("sealgate: cannot read pw.txt (no such file): give --password-file a readable file\n");
    }

    @Test
    void missingPositionalFileShouldBeNamed() throws Exception {
        Result result = cli("keys", "import-cert", "partner.pem", "--data", work.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("sealgate: cannot read partner.pem (no such file): give a readable file\n");
    }

    @Test
    void nodeWithoutSettingsShouldNameTheDataDirectory() throws Exception {
        Result result = cli("node", "--data", work.resolve("nowhere").toString());
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("no sealgate.properties in " + work.resolve("nowhere"))
            .contains("give --data the node's data directory");
    }

    @Test
    void helpShouldWorkOnEveryCommandAndSubCommand() throws Exception {
        for (List<String> command : List.of(List.of("keys", "--help"), List.of("keys", "import-p12", "--help"),
            List.of("config", "--help"), List.of("config", "apply", "-h"), List.of("cluster", "status", "--help"),
            List.of("node", "--help"), List.of("demo", "--help"))) {
            Result result = cli(command.toArray(String[]::new));
            assertThat(result.status()).as(command.toString()).isZero();
            assertThat(result.out()).as(command.toString()).startsWith("usage: sealgate " + command.get(0)).contains("--verbose");
            assertThat(result.err()).as(command.toString()).isEmpty();
        }
    }

    @Test
    void unknownOptionShouldPointToHelp() throws Exception {
        Result result = cli("keys", "list", "--colour", "red");
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("unknown option --colour").contains("(sealgate keys --help)");
    }

    @Test
    void commandsShouldBeQuietByDefaultAndVerboseOnRequest() throws Exception {
        Result quiet = cli("keys", "list", "--data", work.toString());
        assertThat(quiet.status()).as(quiet.err()).isZero();
        assertThat(quiet.out() + quiet.err()).doesNotContain(" INFO ").doesNotContain(" DEBUG ");
        Result verbose = cli("keys", "list", "--data", work.toString(), "--verbose");
        assertThat(verbose.status()).as(verbose.err()).isZero();
        assertThat(verbose.out().lines().filter(l -> !l.contains(" INFO ") && !l.contains(" DEBUG ")).toList())
            .isEqualTo(quiet.out().lines().toList());
    }

    @Test
    void demoShouldRefuseATakenExplicitSmtpPortNamingIt() throws Exception {
        NodeSettings settings = new NodeSettings("demo.test", "127.0.0.1", 2525, List.of("127.0.0.1/32"),
            List.of("demo.sealgate.test"), Optional.empty(), 51200, true);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> DemoCommand.smtpPort(settings, Optional.of(Integer.toString(port))))
                .isInstanceOf(NodeStartException.class)
                .hasMessageContaining("SMTP port 127.0.0.1:" + port + " is already in use")
                .hasMessageContaining("--smtp-port");
            // Not given: the data directory's port when free, else a free one.
            NodeSettings onTaken = settings.withSmtpPort(port);
            int chosen = DemoCommand.smtpPort(onTaken, Optional.empty()).smtpPort();
            assertThat(chosen).isNotEqualTo(port).isPositive();
        }
        assertThatThrownBy(() -> DemoCommand.smtpPort(settings, Optional.of("smtp")))
            .hasMessage("--smtp-port smtp is not a port number (1-65535)");
    }

    private Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), SealgateCli.class.getName()));
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(work.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("CLI did not finish: " + String.join(" ", args));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
