package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.account.PasswordHasher;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.zk.console.AdminAccounts;
import org.sealgate.zk.console.Totp;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;

/** {@code sealgate console add-admin} through the command class against a real ZooKeeper (Curator TestingServer). */
class ConsoleCommandTest {
    @TempDir
    Path dir;
    private TestingServer zooKeeper;
    private Path admin;
    private Path keys;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(true);
        admin = dir.resolve("admin.credentials");
        Files.writeString(admin, "admin:admin-secret\n");
        keys = dir.resolve("console").resolve("console.keys");
    }

    @AfterEach
    void stop() throws Exception {
        zooKeeper.close();
    }

    private int run(PrintStream out, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--zk", zooKeeper.getConnectString(), "--admin-credentials", admin.toString(),
            "--console-keys", keys.toString()));
        return ConsoleCommand.run(all, out, System.err);
    }

    @Test
    void addAdminShouldPrintPasswordAndTotpSecretOnceAndStoreAnAccountThatLogsIn() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(run(new PrintStream(bytes, true, StandardCharsets.UTF_8), "add-admin", "ops")).isZero();
        String out = bytes.toString(StandardCharsets.UTF_8);
        Matcher password = Pattern.compile("password: +(\\S+)").matcher(out);
        Matcher secret = Pattern.compile("TOTP secret: ([A-Z2-7]+)").matcher(out);
        assertThat(password.find()).isTrue();
        assertThat(secret.find()).isTrue();
        assertThat(out).contains("otpauth://totp/Sealgate%3Aops?secret=" + secret.group(1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");

        DigestCredentials credentials = DigestCredentials.fromFile(admin);
        try (CuratorFramework client = ZkClients.admin(zooKeeper.getConnectString(), ZkClients.DEFAULT_NAMESPACE, credentials,
            new java.util.ArrayList<>(List.of(new ACL(Perms.ALL, credentials.identity()))))) {
            client.start();
            assertThat(client.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
            AdminAccounts accounts = new AdminAccounts(client, credentials.identity(), PasswordHasher.STRONG, KeyRing.load(keys),
                Clock.systemUTC());
            String code = Totp.code(Totp.fromBase32(secret.group(1)), Totp.step(Instant.now()));
            assertThat(accounts.login("ops", password.group(1), code)).isEqualTo(AdminAccounts.Outcome.ACCEPTED);
        }
        assertThat(run(new PrintStream(new ByteArrayOutputStream()), "add-admin", "ops")).isEqualTo(ConfigCommand.REFUSED);
    }

    @Test
    void addAdminShouldRefuseANameThatIsNotPlainAndAShortPasswordFile() throws Exception {
        assertThatThrownBy(() -> run(System.out, "add-admin", "../root")).isInstanceOf(Arguments.UsageException.class)
            .hasMessageContaining("not plain");
        Path shortPassword = dir.resolve("pw.txt");
        Files.writeString(shortPassword, "short\n");
        assertThatThrownBy(() -> run(System.out, "add-admin", "ops", "--password-file", shortPassword.toString()))
            .isInstanceOf(Arguments.UsageException.class).hasMessageContaining("at least 12");
    }
}
