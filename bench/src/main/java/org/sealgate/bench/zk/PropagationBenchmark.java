package org.sealgate.bench.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingCluster;
import org.sealgate.bench.smtp.Report;
import org.sealgate.zk.store.ConfigAcls;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.DigestCredentials;
import org.sealgate.zk.store.ZkClients;
import org.sealgate.zk.watch.ConfigWatcher;
import org.sealgate.zk.watch.ConfigWatchers;

/**
 * How long a configuration change takes to reach every node: a three-server ensemble (Curator {@code TestingCluster}
 * on loopback), three {@link ConfigWatcher}s as the nodes run them (each with its own client, session and
 * last-known-good file), and an admin applying 100 changes one after another through {@link ConfigStore#apply}, the
 * call {@code sealgate config apply} makes. Measured per change: from {@code apply} returning to the last of the three
 * watchers having the new version in force (validated, saved to its last-known-good file, swapped). Not a test: run
 * by hand ({@code ./sealgate bench --zk-propagation}); appends its figures to docs/benchmarks/history.md.
 */
public final class PropagationBenchmark {
    private static final int WATCHERS = 3;
    private static final Duration PER_CHANGE_TIMEOUT = Duration.ofSeconds(30);

    private PropagationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int changes = 100;
        Path benchmarksMd = null;
        String commit = "unknown";
        String command = "./sealgate bench --zk-propagation";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--changes" -> changes = Integer.parseInt(args[++i]);
                case "--benchmarks-md" -> benchmarksMd = Path.of(args[++i]);
                case "--commit" -> commit = args[++i];
                case "--command" -> command = args[++i];
                default -> { /* the SMTP benchmark's options are not ours */ }
            }
        }
        Path work = Files.createTempDirectory("sealgate-zk-bench");
        DigestCredentials admin = new DigestCredentials("admin", "bench-admin");
        DigestCredentials node = new DigestCredentials("node", "bench-node");
        Map<Integer, long[]> appliedAt = new ConcurrentHashMap<>();
        List<CuratorFramework> clients = new ArrayList<>();
        List<ConfigWatcher> watchers = new ArrayList<>();
        TestingCluster ensemble = new TestingCluster(3);
        try {
            ensemble.start();
            String connect = ensemble.getConnectString();
            CuratorFramework adminClient = started(ZkClients.admin(connect, ZkClients.DEFAULT_NAMESPACE, admin,
                ConfigAcls.adminWritesNodesRead(admin.identity(), node.identity())), clients);
            ConfigStore store = new ConfigStore(adminClient, ConfigAcls.adminWritesNodesRead(admin.identity(), node.identity()), "bench");
            store.initialize();
            store.apply(document(0), 0);
            for (int w = 0; w < WATCHERS; w++) {
                int index = w;
                CuratorFramework client = started(ZkClients.node(connect, ZkClients.DEFAULT_NAMESPACE, node), clients);
                ConfigWatcher watcher = ConfigWatchers.watch(client, work.resolve("node-" + w).resolve("last-known-good.json"));
                watcher.listenable().addListener(snapshot -> appliedAt.computeIfAbsent(snapshot.version(), v -> new long[WATCHERS])
                    [index] = System.nanoTime());
                watcher.start();
                watchers.add(watcher);
            }
            awaitAll(appliedAt, 1);
            double[] millis = new double[changes];
            for (int i = 0; i < changes; i++) {
                int version = store.currentVersion() + 1;
                store.apply(document(i + 1), version - 1);
                long returned = System.nanoTime();
                long[] times = awaitAll(appliedAt, version);
                long last = Arrays.stream(times).max().orElseThrow();
                // A watcher may apply before the admin's client has the reply; that counts as zero.
                millis[i] = Math.max(0, last - returned) / 1_000_000.0;
            }
            String summary = summary(millis, commit, command);
            System.out.println(summary);
            if (benchmarksMd != null) {
                Files.writeString(benchmarksMd, "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            }
        } finally {
            // Clients before servers, so that nothing reconnects to a closing ensemble.
            watchers.forEach(ConfigWatcher::close);
            clients.forEach(CuratorFramework::close);
            ensemble.close();
        }
    }

    private static CuratorFramework started(CuratorFramework client, List<CuratorFramework> clients) throws InterruptedException {
        clients.add(client);
        client.start();
        if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no ZooKeeper connection within 30 s");
        }
        return client;
    }

    /** Waits until every watcher has the version in force; returns when each got it (System.nanoTime). */
    private static long[] awaitAll(Map<Integer, long[]> appliedAt, int version) throws InterruptedException {
        long deadline = System.nanoTime() + PER_CHANGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long[] times = appliedAt.get(version);
            if (times != null && Arrays.stream(times).allMatch(t -> t != 0)) {
                return times;
            }
            Thread.onSpinWait();
            Thread.sleep(0, 200_000);
        }
        throw new IllegalStateException("version " + version + " did not reach every watcher within " + PER_CHANGE_TIMEOUT);
    }

    private static String document(int revision) {
        return """
            # propagation benchmark, change %d
            schema-version: 1
            domains:
              - name: partner.example
                encrypt: %s
            gina: {host-name: gina.example.com, port: 8443}
            vip: {address: 198.18.0.100, interface: eth0, virtual-router-id: 51}
            nodes:
              - {id: node-a, addresses: [198.18.0.9], role: primary, priority: 150}
            """.formatted(revision, revision % 2 == 0 ? "required" : "opportunistic");
    }

    private static String summary(double[] millis, String commit, String command) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, """
            ## ZooKeeper configuration propagation, %s

            - Command: `%s`
            - Commit: `%s`
            - Machine: %s
            - Setup: 3-server ensemble (Curator TestingCluster, loopback, same JVM), %d watchers (own client and
              session each), %d changes applied one after another with ConfigStore.apply (what `config apply` calls)
            - From apply returning to the last watcher having the version in force (validated, saved, swapped):
              **p50 %.1f ms, p99 %.1f ms**, min %.1f ms, max %.1f ms (goal: p99 < 500 ms; 0 = every watcher had it
              before the admin's client had ZooKeeper's reply)
            """, ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")), command,
            commit, Report.machine(), WATCHERS, millis.length, percentile(sorted, 50), percentile(sorted, 99),
            sorted[0], sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
