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
 * java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' org.sealgate.bench.AlternatingRounds decrypt 15 20 40
 * java -cp ... org.sealgate.bench.AlternatingRounds verify 15 20 40
 * java -cp ... org.sealgate.bench.AlternatingRounds once 9 3 50
 * java -cp ... org.sealgate.bench.AlternatingRounds pgp-encrypt 9 5 1048576
 * </pre>
 * {@code decrypt|verify ROUNDS OPS [WARMUP]}: facade ÷ raw Bouncy Castle (100 KB, {@link SmimeBenchmark}), WARMUP
 * extra rounds dropped first (default 0: only the first round; the JIT needs some 40 rounds of 20 before the JDK's
 * AES-GCM and SHA-256 run on their intrinsics);
 * {@code once ROUNDS OPS N}: decrypt once for N recipients ÷ once per recipient ({@link DecryptOnceBenchmark});
 * {@code pgp-encrypt|pgp-decrypt ROUNDS OPS [SIZE]}: OpenPGP facade ÷ raw Bouncy Castle's BcPGP operators
 * ({@link PgpBenchmark}, SIZE bytes, 102400 by default).
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
            case "decrypt", "verify" -> {
                SmimeBenchmark bench = new SmimeBenchmark();
                bench.size = 100 * 1024;
                bench.setUp();
                int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 0;
                Result result = which.equals("decrypt")
                    ? measure(bench::facadeDecrypt, bench::rawDecrypt, rounds + warmUp, ops, warmUp + 1)
                    : measure(bench::facadeVerify, bench::rawVerify, rounds + warmUp, ops, warmUp + 1);
                System.out.println(result.describe("facade " + which, "raw BC " + which + " (BC provider)"));
            }
            case "once" -> {
                DecryptOnceBenchmark bench = new DecryptOnceBenchmark();
                bench.recipients = args.length > 3 ? Integer.parseInt(args[3]) : 10;
                bench.setUp();
                System.out.println("N = " + bench.recipients + ": " + measure(bench::once, bench::perRecipient, rounds, ops)
                    .describe("once", "perRecipient"));
            }
            case "pgp-encrypt", "pgp-decrypt" -> {
                PgpBenchmark bench = new PgpBenchmark();
                bench.size = args.length > 3 ? Integer.parseInt(args[3]) : 100 * 1024;
                bench.setUp();
                Result result = which.equals("pgp-encrypt")
                    ? measure(bench::facadeEncrypt, bench::rawEncrypt, rounds, ops)
                    : measure(bench::facadeDecrypt, bench::rawDecrypt, rounds, ops);
                System.out.println(bench.size + " bytes: " + result.describe("facade " + which, "raw BC (BcPGP)"));
            }
            default -> throw new IllegalArgumentException("decrypt, verify, once, pgp-encrypt or pgp-decrypt, got " + which);
        }
    }

    /** {@code rounds} rounds of {@code ops} operations of A then of B; the first round is dropped as warm-up. */
    static Result measure(Operation a, Operation b, int rounds, int ops) throws Exception {
        return measure(a, b, rounds, ops, 1);
    }

    /** As {@link #measure(Operation, Operation, int, int)}, dropping the first {@code dropped} rounds. */
    static Result measure(Operation a, Operation b, int rounds, int ops, int dropped) throws Exception {
        if (dropped < 1 || rounds <= dropped || ops < 1) {
            throw new IllegalArgumentException("more rounds than the warm-up rounds dropped (at least one), and 1 operation");
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> aMs = new ArrayList<>();
        List<Double> bMs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double ta = time(a, ops);
            double tb = time(b, ops);
            if (round >= dropped) {
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
