package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through, run as written: {@code sealgate demo} in its own JVM, swaks to send, OpenSSL to open
 * and verify what arrives. If this fails, the README is lying.
 */
class DemoWalkthroughTest {
    @TempDir
    Path work;
    Process demo;

    @AfterEach
    void stopDemo() throws Exception {
        if (Files.isDirectory(work.resolve("gnupg"))) {
            new ProcessBuilder("gpgconf", "--homedir", work.resolve("gnupg").toString(), "--kill", "all").start().waitFor(10, TimeUnit.SECONDS);
        }
        if (demo != null) {
            demo.destroy();   // SIGTERM: the shutdown hook stops the node cleanly
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stops on SIGTERM").isTrue();
        }
    }

    @Test
    void walkThroughFromTheReadmeShouldWork() throws Exception {
        Path data = work.resolve("demo");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-cp", System.getProperty("java.class.path"), "org.sealgate.cli.SealgateCli",
            "demo", "--data", data.toString(), "--smtp-port", Integer.toString(port))
            .redirectErrorStream(true).redirectOutput(work.resolve("demo.log").toFile()).start();
        awaitSmtp(port);
        assertThat(Files.readString(work.resolve("demo.log"))).contains("Sealgate demo: SMTP on 127.0.0.1:" + port);

        // 1. Outbound, signed and encrypted; Carol opens it with OpenSSL.
        Files.writeString(work.resolve("report.txt"), "quarterly numbers\n");
        shell(data, port, "swaks --server 127.0.0.1:$PORT --from alice@demo.sealgate.test --to carol@partner.example "
            + "--header 'Subject: hello Carol' --body 'Our quarterly figures' --attach " + work.resolve("report.txt"));
        Path outbound = awaitFile(data.resolve("mail/outbound"));
        String verified = shell(data, port, "openssl cms -decrypt -in " + outbound + " -recip $D/demo/carol.pem "
            + "-inkey $D/demo/carol.key.pem > decrypted.eml && openssl cms -verify -in decrypted.eml -CAfile $D/demo/demo-ca.pem");
        assertThat(verified).contains("Our quarterly figures").contains("Verification successful");

        // 2. Encryption required and no certificate: bounced to Alice, nothing leaves for Dave.
        shell(data, port, "swaks --server 127.0.0.1:$PORT --from alice@demo.sealgate.test --to dave@partner.example --body secret");
        Path bounce = awaitFile(data.resolve("mail/inbound"));
        assertThat(Files.readString(bounce)).contains("no certificate known for dave@partner.example");

        // 3. Inbound from Carol: signed, then encrypted to Bob.
        shell(data, port, "printf 'Content-Type: text/plain\\r\\n\\r\\nHi Bob\\r\\n' "
            + "| openssl cms -sign -signer $D/demo/carol.pem -inkey $D/demo/carol.key.pem "
            + "| openssl cms -encrypt -aes-256-gcm $D/demo/bob.pem "
            + "| (printf 'From: carol@partner.example\\r\\nTo: bob@demo.sealgate.test\\r\\nSubject: for Bob\\r\\n'; cat) "
            + "| swaks --server 127.0.0.1:$PORT --from carol@partner.example --to bob@demo.sealgate.test --data -");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files(data.resolve("mail/inbound")).size() == 2);
        String forBob = files(data.resolve("mail/inbound")).stream().map(DemoWalkthroughTest::read)
            .filter(text -> text.contains("for Bob")).findFirst().orElseThrow();
        assertThat(forBob).contains("Subject: [signed OK] for Bob")
            .contains("X-Sealgate-Signature: valid; signer=carol@partner.example").contains("Hi Bob");

        // 4. Keys while the demo runs, and the audit trail.
        assertThat(shell(data, port, "java -cp \"$CP\" org.sealgate.cli.SealgateCli keys list --data $D"))
            .contains("alice@demo.sealgate.test").contains("carol@partner.example");
        // With files the demo made, as the README's step 4 does; quiet: only the commands' own lines.
        String keys = shell(data, port, "java -cp \"$CP\" org.sealgate.cli.SealgateCli keys export-cert alice@demo.sealgate.test --data $D > alice.pem"
            + " && java -cp \"$CP\" org.sealgate.cli.SealgateCli keys import-cert $D/demo/carol.pem --data $D"
            + " && java -cp \"$CP\" org.sealgate.cli.SealgateCli keys import-ca $D/demo/partner-ca.pem --domains partner.example,*.partner.example --data $D"
            + " && java -cp \"$CP\" org.sealgate.cli.SealgateCli keys import-pgp $D/demo/dana.pgp.asc --data $D");
        assertThat(keys).doesNotContain(" INFO ").contains("dana@partner.example");
        assertThat(Files.readString(work.resolve("alice.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        List<String> audit = Files.readAllLines(data.resolve("audit/audit.jsonl"));
        assertThat(audit).hasSizeGreaterThanOrEqualTo(4);
        assertThat(String.join("\n", audit)).contains("\"outcome\":\"bounced\"").contains("smime-sign+smime-encrypt");

        // 5. The cluster configuration in the demo's embedded ZooKeeper: shown, changed, in force without restart.
        assertThat(Files.getPosixFilePermissions(data.resolve("secrets/zk-admin.credentials")))
            .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(shell(data, port, "java -cp \"$CP\" org.sealgate.cli.SealgateCli config show --data $D"))
            .contains("# configuration version 1").contains("name: partner.example").contains("encrypt: required");
        assertThat(shell(data, port, "sed 's/encrypt: required /encrypt: opportunistic/' $D/demo/cluster.yaml > relaxed.yaml"
            + " && java -cp \"$CP\" org.sealgate.cli.SealgateCli config apply relaxed.yaml --data $D"))
            .contains("applied configuration version 2");
        shell(data, port, "swaks --server 127.0.0.1:$PORT --from alice@demo.sealgate.test --to dave@partner.example "
            + "--header 'Subject: relaxed' --body 'no longer secret'");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files(data.resolve("mail/outbound")).stream()
            .map(DemoWalkthroughTest::read).anyMatch(text -> text.contains("Subject: relaxed")));
        String relaxed = files(data.resolve("mail/outbound")).stream().map(DemoWalkthroughTest::read)
            .filter(text -> text.contains("Subject: relaxed")).findFirst().orElseThrow();
        assertThat(relaxed).doesNotContain("pkcs7-mime");
        assertThat(shell(data, port, "java -cp \"$CP\" org.sealgate.cli.SealgateCli cluster status --data $D"))
            .contains("configuration version 2").containsPattern("demo +primary +127\\.0\\.0\\.1:" + port + " +2 ")
            .contains("keys from ZooKeeper");

        // 6. OpenPGP: Alice to Dana (only an OpenPGP key known), opened by GnuPG; Dana to Bob, decrypted and verified.
        shell(data, port, "gpg --batch --import $D/demo/dana.secret.asc $D/demo/alice.pgp.asc $D/demo/bob.pgp.asc");
        int outboundBefore = files(data.resolve("mail/outbound")).size();
        shell(data, port, "swaks --server 127.0.0.1:$PORT --from alice@demo.sealgate.test --to dana@partner.example "
            + "--header 'Subject: hello Dana' --body 'For your eyes only'");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files(data.resolve("mail/outbound")).size() > outboundBefore);
        String opened = shell(data, port, "gpg --decrypt \"$(ls -t $D/mail/outbound/*.eml | head -n 1)\"");
        assertThat(opened).contains("Subject: hello Dana").contains("For your eyes only")
            .contains("Good signature from \"Alice <alice@demo.sealgate.test>\"");
        int inboundBefore = files(data.resolve("mail/inbound")).size();
        shell(data, port, "echo 'Hi Bob, Dana here' | gpg --trust-model always --armor --sign --local-user dana@partner.example "
            + "--encrypt --recipient bob@demo.sealgate.test > hi.asc");
        shell(data, port, "swaks --server 127.0.0.1:$PORT --from dana@partner.example --to bob@demo.sealgate.test "
            + "--header 'Subject: from Dana' --body hi.asc");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files(data.resolve("mail/inbound")).size() > inboundBefore);
        assertThat(shell(data, port, "grep -h -e X-Sealgate -e Subject -e 'Dana here' $D/mail/inbound/*.eml"))
            .contains("Subject: [PGP OK] from Dana")
            .contains("X-Sealgate-Signature: valid; signer=dana@partner.example; method=openpgp; trust=imported")
            .contains("Hi Bob, Dana here");
        assertThat(shell(data, port, "java -cp \"$CP\" org.sealgate.cli.SealgateCli keys list --data $D"))
            .contains("Managed OpenPGP keys").contains("dana@partner.example  v4  imported");

        // 7. GINA: [secure] to a keyless recipient at newcomer.example; the carrier, its page, the first password.
        int inboundBeforeGina = files(data.resolve("mail/inbound")).size();
        shell(data, port, "swaks --server 127.0.0.1:$PORT --from alice@demo.sealgate.test --to erin@newcomer.example "
            + "--header 'Subject: [secure] contract' --body 'The contract, for Erin only' --attach /etc/hostname");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files(data.resolve("mail/outbound")).stream()
            .map(DemoWalkthroughTest::read).anyMatch(text -> text.contains("secure-message.html")));
        String carrier = shell(data, port, "C=$(grep -l secure-message.html $D/mail/outbound/*.eml | tail -n 1)"
            + " && cat \"$C\" && openssl cms -verify -in \"$C\" -CAfile $D/demo/demo-ca.pem -out /dev/null"
            + " && java -cp \"$CP\" org.sealgate.cli.SealgateCli gina extract \"$C\"");
        assertThat(carrier).contains("Verification successful").contains("To: erin@newcomer.example")
            .doesNotContain("The contract, for Erin only");
        String page = Files.readString(work.resolve("secure-message.html"));
        assertThat(page).contains("https://127.0.0.1:8443/open");
        byte[] original = new org.sealgate.gina.container.ContainerCrypto().open(
            org.sealgate.gina.container.SecureMessagePage.extract(page), "erin@newcomer.example",
            org.sealgate.gina.key.KeyRing.load(data.resolve(org.sealgate.gina.GinaFiles.KEY_RING)));
        assertThat(new String(original, StandardCharsets.UTF_8)).contains("The contract, for Erin only").contains("Subject: contract");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files(data.resolve("mail/inbound")).size() == inboundBeforeGina + 1);
        assertThat(shell(data, port, "grep -hE '^ {4}[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}' $D/mail/inbound/*.eml").strip())
            .matches("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}");
    }

    private String shell(Path data, int port, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -o pipefail; " + command)
            .directory(work.toFile()).redirectErrorStream(true);
        builder.environment().put("D", data.toString());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("CP", System.getProperty("java.class.path"));
        builder.environment().put("GNUPGHOME", gnupgHome().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("'%s' failed:%n%s", command, out).isZero();
        return out;
    }

    /** The walk-through's throw-away GnuPG home (the README uses mktemp -d). */
    private Path gnupgHome() throws IOException {
        Path home = work.resolve("gnupg");
        if (!Files.isDirectory(home)) {
            Files.createDirectory(home, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        }
        return home;
    }

    private static Path awaitFile(Path directory) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> files(directory), list -> !list.isEmpty()).get(0);
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitSmtp(int port) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!demo.isAlive()) {
                throw new AssertionError("demo exited: " + Files.readString(work.resolve("demo.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
