package org.sealgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.FileDiscoveredKeyStore;

/**
 * The look-up an outbound recipient costs in a node's discovered-key store on disk (single node, or a cluster that
 * keeps keys on each node): {@code keysFor} for a recipient with a discovered certificate and for one without, with
 * {@code keys} discovered certificates stored. The policy engine asks at least twice per recipient (S/MIME, OpenPGP).
 * {@code bench/jmh DiscoveredKeyLookupBenchmark -f 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class DiscoveredKeyLookupBenchmark {
    @Param({"10", "1000"})
    int keys;

    private Path directory;
    private FileDiscoveredKeyStore store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("sealgate-discovered-bench");
        store = new FileDiscoveredKeyStore(directory);
        CertificateIssuer ca = CertificateIssuer.newCa("Bench CA", KeyType.EC_P256);
        Instant found = Instant.now();
        for (int i = 0; i < keys; i++) {
            String address = "partner" + i + "@bench.sealgate.test";
            store.store(DiscoveredKey.smime(address, "ldap://bench", found,
                ca.issue(IssueRequest.forEmail(address, KeyType.EC_P256)).certificate()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Benchmark
    public List<DiscoveredKey> recipientWithAKey() {
        return store.keysFor("partner0@bench.sealgate.test");
    }

    @Benchmark
    public List<DiscoveredKey> recipientWithoutAKey() {
        return store.keysFor("nobody@bench.sealgate.test");
    }
}
