package org.sealgate.bench.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The {@code --goals} mode: only the goal points, every scenario, enough rounds, each goal judged. */
class GoalsPlanTest {
    private static final MessageShape KB100 = new MessageShape(100 * 1024, false);
    private static final MessageShape MB1 = new MessageShape(1024 * 1024, false);

    @Test
    void goalsPlanShouldRunOnly100KbAnd1MbAtConcurrency8ForEveryScenarioInAtLeastThreeRounds() {
        BenchPlan plan = BenchPlan.of("goals");

        // Every scenario the goals name; passthrough (the pipeline's fixed cost) is for profiles only.
        assertThat(plan.scenarios()).containsExactlyElementsOf(java.util.Arrays.stream(Scenario.values())
            .filter(s -> s != Scenario.PASSTHROUGH).toList());
        assertThat(plan.runs()).extracting(RunSpec::shape).containsExactly(KB100, MB1);
        assertThat(plan.runs()).allSatisfy(run -> {
            assertThat(run.concurrency()).isEqualTo(8);
            assertThat(run.messages()).isGreaterThanOrEqualTo(100);
            assertThat(run.probes()).isPositive();
        });
        assertThat(plan.rounds()).isGreaterThanOrEqualTo(3);
        assertThat(plan.verifyAll()).isFalse();
    }

    @Test
    void measuredModesShouldWarmEachOtherMessageSizeUpOnceAndQuickModeNever() {
        BenchPlan goals = BenchPlan.of("goals");
        RunSpec oneMb = goals.runs().get(1);

        assertThat(goals.warmUpFor(goals.runs().get(0))).isEmpty();
        assertThat(goals.warmUpFor(oneMb)).hasValueSatisfying(warm -> {
            assertThat(warm.shape()).isEqualTo(MB1);
            assertThat(warm.concurrency()).isEqualTo(oneMb.concurrency());
            assertThat(warm.messages()).isEqualTo(oneMb.messages());
            assertThat(warm.probes()).isZero();
        });
        BenchPlan quick = BenchPlan.of("quick");
        assertThat(quick.runs()).allSatisfy(run -> assertThat(quick.warmUpFor(run)).isEmpty());
    }

    @Test
    void goalsPlanShouldBeEstimatedAtUnderHalfAnHourAndFarBelowFullMode() {
        Duration goals = BenchPlan.of("goals").estimate();

        assertThat(goals).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(30));
        assertThat(BenchPlan.of("full").estimate()).isGreaterThan(goals.multipliedBy(3));
        assertThat(BenchPlan.of("goals").only(List.of(Scenario.ENCRYPT)).estimate()).isLessThan(Duration.ofMinutes(4));
    }

    @Test
    void eachScenarioShouldBeJudgedAgainstTheRatioOfItsSizeAndSmimeAlsoAgainstItsOwnCpu() {
        List<RunResult> results = new ArrayList<>();
        // Ratios per round 0.90, 0.80, 0.86 at 100 KB (median 0.86: met), 0.70 0.74 0.80 at 1 MB (median 0.74: not).
        rounds(results, Scenario.ENCRYPT, KB100, new double[] {0.90, 0.80, 0.86}, 10.0, 11.5);
        rounds(results, Scenario.ENCRYPT, MB1, new double[] {0.70, 0.74, 0.80}, 20.0, 30.0);
        rounds(results, Scenario.INBOUND_SMIME, KB100, new double[] {0.95, 0.95, 0.95}, 10.0, 13.0);
        rounds(results, Scenario.PGP_ENCRYPT, MB1, new double[] {0.76, 0.75, 0.77}, 20.0, 40.0);

        List<Goals.Verdict> verdicts = Goals.judge(Comparisons.of(results));

        assertThat(verdicts).extracting(v -> v.scenario() + " " + v.spec().shape().label() + " " + v.goal() + " "
            + v.figure() + " " + v.status()).containsExactly(
                "ENCRYPT 100 KB × baseline ≥ 0.85 0.86 (0.80–0.90) met",
                "ENCRYPT 100 KB own CPU ≤ 2.0 ms/mail 1.5 ms (without JIT 1.0 ms; in the spooler 0.37 ms, not judged) met",
                "ENCRYPT 1 MB × baseline ≥ 0.75 0.74 (0.70–0.80) NOT met",
                "INBOUND_SMIME 100 KB × baseline ≥ 0.85 0.95 (0.95–0.95) met",
                "INBOUND_SMIME 100 KB own CPU ≤ 2.0 ms/mail 3.0 ms (without JIT 2.5 ms; in the spooler 0.75 ms, not judged) NOT met",
                "PGP_ENCRYPT 1 MB × baseline ≥ 0.75 0.76 (0.75–0.77) met");
        assertThat(Goals.table(results)).contains("Goals met: 4 of 6 judged (6 in all)");
    }

    @Test
    void figuresFromFewerThanThreeRoundsShouldBeShownButNotJudged() {
        List<RunResult> results = new ArrayList<>();
        rounds(results, Scenario.ENCRYPT, KB100, new double[] {0.99}, 10.0, 10.5);

        List<Goals.Verdict> verdicts = Goals.judge(Comparisons.of(results));

        assertThat(verdicts).hasSize(2).allSatisfy(v -> assertThat(v.met()).isEmpty());
        assertThat(verdicts.get(0).figure()).isEqualTo("0.99");
        assertThat(Goals.table(results)).contains("not judged").contains("Goals met: 0 of 0 judged (2 in all)");
    }

    /** Alternating rounds: the baseline at 100 msg/s, the scenario at ratio × 100, CPU ms per mail as given. */
    private static void rounds(List<RunResult> results, Scenario scenario, MessageShape shape, double[] ratios,
                               double baselineCpuMs, double scenarioCpuMs) {
        RunSpec spec = new RunSpec(shape, 8, 100, 5);
        for (int round = 1; round <= ratios.length; round++) {
            results.add(result(scenario.baseline(), spec, 100, baselineCpuMs, round, scenario));
            results.add(result(scenario, spec, 100 * ratios[round - 1], scenarioCpuMs, round, scenario));
        }
    }

    private static RunResult result(Scenario scenario, RunSpec spec, double rate, double cpuMs, int round,
                                     Scenario pairedWith) {
        // The scenario's JIT compiler used 0.5 ms per mail, the baseline's none: shown beside the judged figure.
        double jitMs = scenario.isBaseline() ? 0 : 0.5;
        return new RunResult(scenario, spec, spec.messages(), spec.messages(), spec.messages() / rate, Optional.of(10.0),
            Optional.of(20.0), spec.probes(), cpuMs / 1000, jitMs / 1000, cpuMs / 4000, 500, spec.messages(), 0, Optional.empty(),
            round, pairedWith);
    }
}
