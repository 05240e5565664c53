package org.sealgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Facade against raw Bouncy Castle in one JVM, alternating in rounds (facade, raw, facade, raw, ...), so a busy
 * moment of a shared machine lands on both sides alike; JMH runs one benchmark after the other, and a build
 * starting next door skews whichever runs then. Prints the per-round ratio (facade ops/s ÷ raw ops/s) and the
 * median with min–max, after dropping warm-up rounds.
 *
 * <pre>{@code java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' org.sealgate.bench.AlternatingComparison \
 *     [size=102400] [rounds=12] [warmup=4] [ops=40]}</pre>
 */
public final class AlternatingComparison {

    private AlternatingComparison() {
    }

    @FunctionalInterface
    private interface Operation {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int size = intArg(args, "size", 102400);
        int rounds = intArg(args, "rounds", 12);
        int warmup = intArg(args, "warmup", 4);
        int ops = intArg(args, "ops", 40);
        SmimeBenchmark bench = new SmimeBenchmark();
        bench.size = size;
        bench.setUp();
        compare("decrypt", bench::facadeDecrypt, bench::rawDecrypt, rounds, warmup, ops);
        compare("verify", bench::facadeVerify, bench::rawVerify, rounds, warmup, ops);
    }

    private static void compare(String name, Operation facade, Operation raw, int rounds, int warmup, int ops)
            throws Exception {
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < warmup + rounds; round++) {
            double facadeOps = opsPerSecond(facade, ops);
            double rawOps = opsPerSecond(raw, ops);
            if (round >= warmup) {
                ratios.add(facadeOps / rawOps);
                System.out.printf(Locale.ROOT, "%s round %d: facade %.1f ops/s, raw %.1f ops/s, ratio %.2f%n",
                    name, round - warmup + 1, facadeOps, rawOps, facadeOps / rawOps);
            }
        }
        List<Double> sorted = ratios.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf(Locale.ROOT, "%s: facade ÷ raw median %.2f (%.2f–%.2f) over %d rounds of %d ops each%n",
            name, median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size(), ops);
    }

    private static double opsPerSecond(Operation operation, int ops) throws Exception {
        Object sink = null;
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            sink = operation.run();
        }
        long elapsed = System.nanoTime() - start;
        if (sink == null) {
            throw new IllegalStateException("an operation returned nothing");
        }
        return ops / (elapsed / 1e9);
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (String arg : args) {
            if (arg.startsWith(name + "=")) {
                return Integer.parseInt(arg.substring(name.length() + 1));
            }
        }
        return fallback;
    }
}
