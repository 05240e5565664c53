package org.sealgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sealgate.bench.smtp.Comparisons;

/**
 * Two of the JMH benchmarks' operations timed in alternating rounds in one JVM (A, B, A, B, ...; the first round is
 * warm-up and dropped), reported as the median of the per-round speed ratios A ÷ B with min–max. On a shared machine
 * JMH's separate trials of A and B land on different moments of the load (errors larger than the scores); pairing
 * each round keeps a busy moment from landing on one side only, as the SMTP benchmark does ({@link Comparisons}).
 * <pre>
 * java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' org.sealgate.bench.AlternatingRounds decrypt 9 20
 * java -cp ... org.sealgate.bench.AlternatingRounds once 9 3 50
 * </pre>
 * {@code decrypt ROUNDS OPS}: facade decrypt ÷ raw Bouncy Castle decrypt (100 KB, {@link SmimeBenchmark});
 * {@code once ROUNDS OPS N}: decrypt once for N recipients ÷ once per recipient ({@link DecryptOnceBenchmark}).
 */
public final class AlternatingRounds {
    private AlternatingRounds() {
    }

    /** One operation of a benchmark. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /** Median, min and max of the per-round ratios (A's speed ÷ B's), and A's and B's median ms per operation. */
    record Result(double ratio, double min, double max, double aMs, double bMs, int rounds) {
        String describe(String a, String b) {
            return String.format(Locale.ROOT, "%s ÷ %s: median %.2f (%.2f–%.2f) over %d rounds; %s %.1f ms/op, %s %.1f ms/op",
                a, b, ratio, min, max, rounds, a, aMs, b, bMs);
        }
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "decrypt";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        switch (which) {
            case "decrypt" -> {
                SmimeBenchmark bench = new SmimeBenchmark();
                bench.size = 100 * 1024;
                bench.setUp();
                System.out.println(measure(bench::facadeDecrypt, bench::rawDecrypt, rounds, ops)
                    .describe("facadeDecrypt", "rawDecrypt (BC provider)"));
            }
            case "once" -> {
                DecryptOnceBenchmark bench = new DecryptOnceBenchmark();
                bench.recipients = args.length > 3 ? Integer.parseInt(args[3]) : 10;
                bench.setUp();
                System.out.println("N = " + bench.recipients + ": " + measure(bench::once, bench::perRecipient, rounds, ops)
                    .describe("once", "perRecipient"));
            }
            default -> throw new IllegalArgumentException("decrypt or once, got " + which);
        }
    }

    /** {@code rounds} rounds of {@code ops} operations of A then of B; the first round is dropped as warm-up. */
    static Result measure(Operation a, Operation b, int rounds, int ops) throws Exception {
        if (rounds < 2 || ops < 1) {
            throw new IllegalArgumentException("at least 2 rounds (the first is warm-up) and 1 operation");
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> aMs = new ArrayList<>();
        List<Double> bMs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double ta = time(a, ops);
            double tb = time(b, ops);
            if (round > 0) {
                ratios.add(tb / ta);          // speed of A ÷ speed of B = B's time ÷ A's time
                aMs.add(ta / ops);
                bMs.add(tb / ops);
            }
        }
        return new Result(Comparisons.median(ratios).orElseThrow(), ratios.stream().min(Double::compare).orElseThrow(),
            ratios.stream().max(Double::compare).orElseThrow(), Comparisons.median(aMs).orElseThrow(),
            Comparisons.median(bMs).orElseThrow(), ratios.size());
    }

    private static double time(Operation operation, int ops) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            operation.run();
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
