package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory check's machinery: a short soak against a real node (S/MIME encrypt, real smtp-source and smtp-sink,
 * retained heap read through jcmd), and the verdict arithmetic on made-up samples. The 10-minute run is by hand.
 */
class SoakRunTest {
    @TempDir
    Path work;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shortSoakShouldDeliverEveryMessageAndSampleTheRetainedHeap() throws Exception {
        SoakRun.Result result = new SoakRun(List.of(Scenario.ENCRYPT), Duration.ofSeconds(15), Duration.ofSeconds(4), 60,
            work, System.getProperty("java.class.path"), System.out::println).run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.sent()).isPositive().isEqualTo(result.delivered());
        assertThat(result.samples()).hasSizeGreaterThanOrEqualTo(3);
        // A running James node retains tens of MB after a full GC, and never more than its 1 GB heap.
        assertThat(result.samples()).allSatisfy(s -> assertThat(s.retainedHeapMb()).isBetween(10.0, 1024.0));
        assertThat(result.samples()).allSatisfy(s -> assertThat(s.rssMb()).isGreaterThan(s.retainedHeapMb()));
        assertThat(result.samples().get(result.samples().size() - 1).delivered()).isEqualTo(result.delivered());
        // The node's CPU per mail of the measured batches, for a memory setting's cost beside its RSS.
        assertThat(result.cpuMsPerMail()).containsOnlyKeys(Scenario.ENCRYPT);
        assertThat(result.cpuMsPerMail().get(Scenario.ENCRYPT)).isPositive();
        assertThat(SoakRun.report(result)).contains("S/MIME encrypt").contains("| Time s |")
            .contains("Node CPU per mail (user + system over the measured batches): S/MIME encrypt ");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void mixedSoakShouldRunOutboundAndInboundThroughOneNodeAndCheckEveryBatch() throws Exception {
        SoakRun.Result result = new SoakRun(SoakRun.MIX, Duration.ofSeconds(20), Duration.ofSeconds(5), 30,
            work, System.getProperty("java.class.path"), System.out::println).run();

        assertThat(result.failures()).isEmpty();
        // Whole batches of 30, taking turns: outbound encrypted, inbound S/MIME and OpenPGP opened and tagged.
        assertThat(result.sent()).isPositive().isEqualTo(result.delivered());
        assertThat(result.delivered() % 30).isZero();
        assertThat(result.samples()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(result.samples().subList(1, result.samples().size()))
            .allSatisfy(s -> assertThat(s.peakRssMb()).isGreaterThanOrEqualTo(s.retainedHeapMb()));
        assertThat(result.peakRssMb()).isPositive();
        assertThat(SoakRun.report(result)).contains("S/MIME encrypt + inbound S/MIME decrypt + verify + inbound OpenPGP")
            .contains("taking turns through one node").contains("RSS: peak").contains("| Peak RSS MB |");
    }

    @Test
    void mixShouldBeOneOutboundScenarioThenInboundOnes() {
        assertThatThrownBy(() -> new SoakRun(List.of(Scenario.INBOUND_SMIME, Scenario.ENCRYPT), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1, work, "", s -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SoakRun(List.of(Scenario.BASELINE), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 1, work, "", s -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rssGoalShouldFailTheVerdictWhenAnyBatchPeakedOver700Mb() {
        List<SoakRun.Sample> samples = List.of(new SoakRun.Sample(0, 0, 50, 400, 0),
            new SoakRun.Sample(30, 10, 50, 410, 690), new SoakRun.Sample(60, 20, 50, 405, 720));
        SoakRun.Result over = new SoakRun.Result(SoakRun.MIX, new RunSpec(new MessageShape(100 * 1024, false), 8, 10, 0),
            Duration.ofMinutes(1), samples, 20, 20, List.of());

        assertThat(over.peakRssMb()).isEqualTo(720);
        assertThat(over.underRssGoal()).isFalse();
        assertThat(SoakRun.verdictProblem(over)).contains("peak RSS 720 MB, not under 700 MB");
        assertThat(SoakRun.report(over)).contains("**NOT met**");
        assertThat(SoakRun.verdictProblem(result(List.of(100.0, 101.0, 100.0)))).isEmpty();
    }

    @Test
    void flatShouldAllowNoiseButFlagSteadyGrowth() {
        SoakRun.Result flat = result(List.of(100.0, 104.0, 98.0, 103.0, 101.0, 99.0));
        SoakRun.Result growing = result(List.of(100.0, 130.0, 160.0, 190.0, 220.0, 250.0));

        assertThat(flat.flat()).isTrue();
        assertThat(flat.slopeMbPerMinute()).isBetween(-5.0, 5.0);
        assertThat(growing.flat()).isFalse();
        assertThat(growing.slopeMbPerMinute()).isCloseTo(60.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(SoakRun.verdictProblem(growing)).contains("retained heap grew");
        assertThat(SoakRun.verdictProblem(flat)).isEmpty();
    }

    @Test
    void usedKbShouldReadG1AndParallelHeapInfo() {
        assertThat(HeapProbe.usedKb("12345:\n garbage-first heap   total 215040K, used 107868K [0x0, 0x1)\n"
            + "  region size 1024K\n Metaspace       used 60898K, committed 61440K\n")).isEqualTo(107868);
        assertThat(HeapProbe.usedKb(" PSYoungGen      total 1024K, used 10K [0x0)\n ParOldGen       total 2048K, used 20K\n"))
            .isEqualTo(30);
    }

    /** Samples 30 s apart, 10 messages each. */
    private static SoakRun.Result result(List<Double> heaps) {
        List<SoakRun.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < heaps.size(); i++) {
            samples.add(new SoakRun.Sample(30.0 * i, 10L * i, heaps.get(i), 500, 520));
        }
        return new SoakRun.Result(List.of(Scenario.ENCRYPT), new RunSpec(new MessageShape(100 * 1024, false), 8, 10, 0),
            Duration.ofMinutes(3), samples, 50, 50, List.of());
    }
}
