package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.node.ClusterSettings;
import org.sealgate.node.NodeSettings;

/** {@code sealgate config ...} through the command class against a real ZooKeeper server (Curator TestingServer). */
class ConfigCommandTest {
    @TempDir
    Path work;
    TestingServer zooKeeper;
    Path admin;
    Path node;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void startZooKeeper() throws Exception {
        zooKeeper = new TestingServer(true);
        admin = secret("admin.credentials", "admin:admin-secret");
        node = secret("node.credentials", "node:node-secret");
    }

    @AfterEach
    void stopZooKeeper() throws Exception {
        zooKeeper.close();
    }

    @Test
    void applyShowDiffHistoryAndRollbackShouldWorkAgainstAnEnsemble() throws Exception {
        Result first = config("apply", file("v1.yaml", ClusterDocuments.withPartner("opportunistic")).toString(),
            "--node-credentials", node.toString());
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("applied configuration version 1");

        Path v2 = file("v2.yaml", ClusterDocuments.withPartner("required"));
        Result diff = config("diff", v2.toString());
        assertThat(diff.status()).isZero();
        assertThat(diff.out()).contains("-    encrypt: opportunistic").contains("+    encrypt: required");

        assertThat(config("apply", v2.toString(), "--message", "partner.example must encrypt").out())
            .contains("applied configuration version 2");
        Result show = config("show");
        assertThat(show.out()).startsWith("# configuration version 2").contains("encrypt: required");

        Result rollback = config("rollback", "1");
        assertThat(rollback.status()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("now configuration version 3");
        assertThat(config("show").out()).contains("encrypt: opportunistic");

        Result history = config("history");
        assertThat(history.out()).contains("VERSION").containsPattern("(?m)^1 .* admin ")
            .containsPattern("(?m)^2 .*  partner.example must encrypt$").containsPattern("(?m)^3 ");
    }

    @Test
    void invalidDocumentShouldBeRefusedWithEveryErrorAndItsLineAndNothingWritten() throws Exception {
        config("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--node-credentials", node.toString());
        Path broken = file("broken.yaml", ClusterDocuments.withPartner("sometimes").replace("priority: 150", "priority: high"));

        Result result = config("apply", broken.toString());

        assertThat(result.status()).isEqualTo(ConfigCommand.REFUSED);
        assertThat(result.err()).contains("configuration refused, 2 errors; nothing was written")
            .contains(broken + ":7:").contains("domains[1].encrypt").contains("sometimes")
            .contains(broken + ":15:").contains("nodes[0].priority");
        assertThat(config("show").out()).startsWith("# configuration version 1").contains("encrypt: required");
    }

    @Test
    void outOfRangePortalSettingShouldBeRefusedWithLineAndColumn() throws Exception {
        // The old form of the gina section (host name and port only) still applies.
        config("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--node-credentials", node.toString());
        Path broken = file("broken.yaml", ClusterDocuments.withPartner("required")
            .replace("port: 8443}", "port: 8443, session-minutes: 0}"));

        Result result = config("apply", broken.toString());

        assertThat(result.status()).isEqualTo(ConfigCommand.REFUSED);
        assertThat(result.err()).contains("configuration refused, 1 error")
            .contains(broken + ":9:73: gina.session-minutes").contains("must be between 1 and 1440, got 0");
        assertThat(config("show").out()).startsWith("# configuration version 1");
    }

    @Test
    void wrongAdminPasswordShouldBeRefusedForWritesAndReads() throws Exception {
        config("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--node-credentials", node.toString());
        Path wrong = secret("wrong.credentials", "admin:guessed");

        Result apply = run("apply", file("v2.yaml", ClusterDocuments.withPartner("off")).toString(),
            "--zk", zooKeeper.getConnectString(), "--admin-credentials", wrong.toString());
        Result show = run("show", "--zk", zooKeeper.getConnectString(), "--admin-credentials", wrong.toString());

        assertThat(apply.status()).isEqualTo(ConfigCommand.REFUSED);
        assertThat(apply.err()).contains("access denied").doesNotContain("guessed");
        assertThat(show.status()).isEqualTo(ConfigCommand.REFUSED);
        assertThat(config("show").out()).contains("encrypt: required");
    }

    @Test
    void applyBasedOnAnOutdatedVersionShouldBeAConflictAndWriteNothing() throws Exception {
        config("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--node-credentials", node.toString());
        config("apply", file("v2.yaml", ClusterDocuments.withPartner("off")).toString());

        Result late = config("apply", file("v3.yaml", ClusterDocuments.withPartner("opportunistic")).toString(),
            "--expected-version", "1");

        assertThat(late.status()).isEqualTo(ConfigCommand.CONFLICT);
        assertThat(late.err()).contains("conflict").contains("based on version 1 but version 2 is current");
        assertThat(config("show").out()).startsWith("# configuration version 2").contains("encrypt: off");
    }

    @Test
    void twoAdminsApplyingAtOnceShouldGiveOneWinnerOneConflictAndALinearHistory() throws Exception {
        config("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--node-credentials", node.toString());
        Path off = file("off.yaml", ClusterDocuments.withPartner("off"));
        Path opportunistic = file("opportunistic.yaml", ClusterDocuments.withPartner("opportunistic"));

        // Both looked at version 1 and apply on top of it at the same moment: exactly one wins.
        List<Result> both = concurrently(() -> config("apply", off.toString(), "--expected-version", "1"),
            () -> config("apply", opportunistic.toString(), "--expected-version", "1"));
        assertThat(both).extracting(Result::status).containsExactlyInAnyOrder(0, ConfigCommand.CONFLICT);
        Result loser = both.stream().filter(r -> r.status() == ConfigCommand.CONFLICT).findFirst().orElseThrow();
        assertThat(loser.err()).contains("conflict").contains("based on version 1 but version 2 is current");
        String winner = both.get(0).status() == 0 ? "encrypt: off" : "encrypt: opportunistic";
        assertThat(config("show").out()).startsWith("# configuration version 2").contains(winner);

        // Without --expected-version each applies on top of what it reads; racing rounds never skip or mix versions.
        int applied = 2;
        for (int round = 0; round < 5; round++) {
            List<Result> race = concurrently(() -> config("apply", off.toString()), () -> config("apply", opportunistic.toString()));
            assertThat(race).extracting(Result::status).allMatch(status -> status == 0 || status == ConfigCommand.CONFLICT);
            applied += (int) race.stream().filter(r -> r.status() == 0).count();
        }
        String history = config("history").out();
        for (int version = 1; version <= applied; version++) {
            assertThat(history).containsPattern("(?m)^" + version + " ");
        }
        assertThat(history).doesNotContainPattern("(?m)^" + (applied + 1) + " ");
        assertThat(config("show").out()).startsWith("# configuration version " + applied);
    }

    @Test
    void theNodeIdentityShouldNotWriteConfigurationOrKeys() throws Exception {
        config("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--node-credentials", node.toString());

        Result apply = run("apply", file("v2.yaml", ClusterDocuments.withPartner("off")).toString(),
            "--zk", zooKeeper.getConnectString(), "--admin-credentials", node.toString());
        assertThat(apply.status()).isEqualTo(ConfigCommand.REFUSED);
        assertThat(apply.err()).contains("access denied");

        Path certificate = file("partner.pem", org.sealgate.keys.CertificateIssuer.newCa("Node Write CA")
            .issue(org.sealgate.keys.IssueRequest.forEmail("x@partner.example", org.sealgate.keys.KeyType.EC_P256)).certificatePem());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeysCommand.run(List.of("import-cert", certificate.toString(),
                "--zk", zooKeeper.getConnectString(), "--admin-credentials", node.toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
            .hasMessageContaining("not allowed for this identity (ZooKeeper NoAuth)");
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        KeysCommand.run(List.of("list", "--zk", zooKeeper.getConnectString(), "--admin-credentials", admin.toString()),
            new PrintStream(list, true, StandardCharsets.UTF_8));
        assertThat(list.toString(StandardCharsets.UTF_8)).doesNotContain("x@partner.example");
        assertThat(config("show").out()).startsWith("# configuration version 1").contains("encrypt: required");
    }

    private static List<Result> concurrently(java.util.concurrent.Callable<Result> first,
                                             java.util.concurrent.Callable<Result> second) throws Exception {
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<Result> task : List.of(first, second)) {
                futures.add(pool.submit(() -> {
                    barrier.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<Result> results = new ArrayList<>();
            for (java.util.concurrent.Future<Result> future : futures) {
                results.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dataDirectoryShouldSupplyConnectStringAndAdminCredentials() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        new NodeSettings("gw.test", "127.0.0.1", 2525, List.of("127.0.0.1/32"), List.of("demo.sealgate.test"),
            java.util.Optional.empty(), 51200, true).save(data);
        ClusterSettings.record(data, zooKeeper.getConnectString(), ClusterSettings.NODE_CREDENTIALS_FILE);
        Files.createDirectories(data.resolve("secrets"));
        Files.copy(admin, data.resolve(ClusterSettings.ADMIN_CREDENTIALS_FILE));
        Files.copy(node, data.resolve(ClusterSettings.NODE_CREDENTIALS_FILE));

        Result apply = run("apply", file("v1.yaml", ClusterDocuments.withPartner("required")).toString(), "--data", data.toString());
        Result show = run("show", "--data", data.toString());

        assertThat(apply.status()).as(apply.err()).isZero();
        assertThat(show.out()).startsWith("# configuration version 1").contains("partner.example");
    }

    @Test
    void unreachableZooKeeperShouldFailWithinTheConnectTimeout() throws Exception {
        int port = zooKeeper.getPort();
        zooKeeper.close();
        Result show = run("show", "--zk", "127.0.0.1:" + port, "--admin-credentials", admin.toString());
        assertThat(show.status()).isEqualTo(ConfigCommand.REFUSED);
        assertThat(show.err()).contains("cannot reach ZooKeeper at 127.0.0.1:" + port)
            .contains("is ZooKeeper running there").contains("--zk HOST:PORT").contains("--zk-tls FILE");
    }

    private Result config(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--zk", zooKeeper.getConnectString(), "--admin-credentials", admin.toString()));
        return run(all.toArray(String[]::new));
    }

    private static Result run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ConfigCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(work.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path secret(String name, String content) throws Exception {
        return Files.writeString(work.resolve(name), content + "\n", StandardCharsets.UTF_8);
    }
}
