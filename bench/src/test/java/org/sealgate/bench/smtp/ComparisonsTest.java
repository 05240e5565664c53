package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The statistics of alternating runs: per-round pairing, medians, spread, Sealgate's own CPU per mail. */
class ComparisonsTest {
    private static final RunSpec SPEC = new RunSpec(new MessageShape(100 * 1024, false), 8, 100, 5);
    private static final RunSpec OTHER = new RunSpec(new MessageShape(4 * 1024, false), 8, 100, 5);

    @Test
    void ratioShouldBeTheMedianOfPerRoundRatiosWithTheirSpread() {
        List<RunResult> results = new ArrayList<>();
        // Rounds: 100 vs 90 (0.90), 50 vs 40 (0.80: a slow moment hits both sides), 120 vs 114 (0.95).
        pair(results, 1, 100, 90, 8, 10);
        pair(results, 2, 50, 40, 9, 12);
        pair(results, 3, 120, 114, 7, 8);

        Comparisons.Comparison c = single(results);

        assertThat(c.rounds()).isEqualTo(3);
        assertThat(c.failedRounds()).isZero();
        assertThat(c.ratio()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.90, within(1e-9)));
        assertThat(c.ratioMin()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.80, within(1e-9)));
        assertThat(c.ratioMax()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.95, within(1e-9)));
        assertThat(c.messagesPerSecond()).hasValueSatisfying(v -> assertThat(v).isCloseTo(90, within(1e-9)));
        assertThat(c.baselinePerSecond()).hasValueSatisfying(v -> assertThat(v).isCloseTo(100, within(1e-9)));
        assertThat(c.cpuMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(10, within(1e-9)));
        assertThat(c.baselineCpuMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(8, within(1e-9)));
        // Own CPU per round: 2, 3, 1 ms -> median 2 (not 10 - 8 from the two medians by chance).
        assertThat(c.ownCpuMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(2, within(1e-9)));
        // The spooler threads' share (a quarter of each run's CPU here): 0.5, 0.75, 0.25 ms per round -> 0.5.
        assertThat(c.ownSpoolerMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.5, within(1e-9)));
    }

    @Test
    void ownCpuWithoutJitShouldLeaveEachSidesCompilerThreadsOutRoundByRound() {
        List<RunResult> results = new ArrayList<>();
        // Round 1: baseline 8 ms (2 JIT), scenario 14 ms (5 JIT): own 6, without JIT 3.
        results.add(result(Scenario.BASELINE, 1, 100, 8, 2, Optional.empty(), Scenario.ENCRYPT));
        results.add(result(Scenario.ENCRYPT, 1, 90, 14, 5, Optional.empty(), Scenario.ENCRYPT));
        // Round 2: baseline 7 (1), scenario 10 (1): own 3, without JIT 3. Round 3: 9 (3) and 20 (8): own 11, 6.
        results.add(result(Scenario.BASELINE, 2, 100, 7, 1, Optional.empty(), Scenario.ENCRYPT));
        results.add(result(Scenario.ENCRYPT, 2, 90, 10, 1, Optional.empty(), Scenario.ENCRYPT));
        results.add(result(Scenario.BASELINE, 3, 100, 9, 3, Optional.empty(), Scenario.ENCRYPT));
        results.add(result(Scenario.ENCRYPT, 3, 90, 20, 8, Optional.empty(), Scenario.ENCRYPT));

        Comparisons.Comparison c = single(results);

        assertThat(c.ownCpuMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(6, within(1e-9)));
        assertThat(c.ownCpuWithoutJitMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(3, within(1e-9)));
        assertThat(c.jitMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(5, within(1e-9)));
        assertThat(c.baselineJitMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(2, within(1e-9)));
        assertThat(Report.comparisons(results)).contains("| 14.0 (5.0) | 8.0 (2.0) | 6.0 | 3.0 | 1.50 |");
        assertThat(Report.table(results)).contains("| 20.0 (8.0) | 5.00 |");
    }

    @Test
    void roundWithAFailedRunShouldBeLeftOutOfTheFiguresAndCounted() {
        List<RunResult> results = new ArrayList<>();
        pair(results, 1, 100, 90, 8, 10);
        results.add(result(Scenario.BASELINE, 2, 100, 8, Optional.of("timeout"), Scenario.ENCRYPT));
        results.add(result(Scenario.ENCRYPT, 2, 10, 8, Optional.empty(), Scenario.ENCRYPT));
        pair(results, 3, 100, 70, 8, 12);

        Comparisons.Comparison c = single(results);

        assertThat(c.rounds()).isEqualTo(2);
        assertThat(c.failedRounds()).isEqualTo(1);
        assertThat(c.ratio()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.80, within(1e-9)));
        assertThat(c.ratioMin()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.70, within(1e-9)));
        assertThat(c.ownCpuMsPerMail()).hasValueSatisfying(v -> assertThat(v).isCloseTo(3, within(1e-9)));
    }

    @Test
    void scenarioShouldBeComparedOnlyWithTheBaselineRunsItAlternatedWith() {
        List<RunResult> results = new ArrayList<>();
        pair(results, 1, 100, 90, 8, 10);
        // The same baseline shape and round, but taken beside another scenario: never this one's reference.
        results.add(result(Scenario.BASELINE, 1, 1000, 1, Optional.empty(), Scenario.PGP_ENCRYPT));
        results.add(result(Scenario.PGP_ENCRYPT, 1, 500, 2, Optional.empty(), Scenario.PGP_ENCRYPT));
        results.add(new RunResult(Scenario.BASELINE, OTHER, 100, 100, 10, Optional.empty(), Optional.empty(), 0, 0.008, 0, 0, 300,
            100, 0, Optional.empty(), 1, Scenario.ENCRYPT));

        List<Comparisons.Comparison> all = Comparisons.of(results);

        assertThat(all).extracting(Comparisons.Comparison::scenario).containsExactly(Scenario.ENCRYPT, Scenario.PGP_ENCRYPT);
        assertThat(all.get(0).ratio()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.90, within(1e-9)));
        assertThat(all.get(1).ratio()).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.50, within(1e-9)));
        assertThat(Report.ratio(results.get(1), results)).hasValueSatisfying(v -> assertThat(v).isCloseTo(0.90, within(1e-9)));
        assertThat(Report.comparisons(results)).contains("| S/MIME encrypt | 100 KB | 8 | 1 | 90.0 | 100.0 | 0.90 |");
    }

    @Test
    void noSuccessfulRoundShouldGiveNoFigures() {
        List<RunResult> results = List.of(
            result(Scenario.BASELINE, 1, 100, 8, Optional.empty(), Scenario.ENCRYPT),
            result(Scenario.ENCRYPT, 1, 0, 0, Optional.of("node died"), Scenario.ENCRYPT));

        Comparisons.Comparison c = single(results);

        assertThat(c.rounds()).isZero();
        assertThat(c.ratio()).isEmpty();
        assertThat(c.ownCpuMsPerMail()).isEmpty();
        assertThat(Report.comparisons(results)).contains("| 0 (1 failed) | – | – | – |");
    }

    @Test
    void medianShouldTakeTheMiddleOrTheMeanOfTheMiddleTwo() {
        assertThat(Comparisons.median(List.of())).isEmpty();
        assertThat(Comparisons.median(List.of(3.0))).contains(3.0);
        assertThat(Comparisons.median(List.of(5.0, 1.0, 3.0))).contains(3.0);
        assertThat(Comparisons.median(List.of(4.0, 1.0, 3.0, 2.0))).contains(2.5);
    }

    private static Comparisons.Comparison single(List<RunResult> results) {
        List<Comparisons.Comparison> all = Comparisons.of(results);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static void pair(List<RunResult> results, int round, double baseRate, double rate, double baseCpuMs,
                             double cpuMs) {
        results.add(result(Scenario.BASELINE, round, baseRate, baseCpuMs, Optional.empty(), Scenario.ENCRYPT));
        results.add(result(Scenario.ENCRYPT, round, rate, cpuMs, Optional.empty(), Scenario.ENCRYPT));
    }

    /** A run of 100 mails over {@code 100 / rate} seconds. */
    private static RunResult result(Scenario scenario, int round, double rate, double cpuMs, Optional<String> failure,
                                    Scenario pairedWith) {
        return result(scenario, round, rate, cpuMs, 0, failure, pairedWith);
    }

    private static RunResult result(Scenario scenario, int round, double rate, double cpuMs, double jitMs,
                                    Optional<String> failure, Scenario pairedWith) {
        double seconds = rate > 0 ? 100 / rate : 0;
        return new RunResult(scenario, SPEC, 100, 100, seconds, Optional.empty(), Optional.empty(), 0, cpuMs / 1000,
            jitMs / 1000, cpuMs / 4000, 300, 100, 0, failure, round, pairedWith);
    }
}
