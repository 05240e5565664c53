package org.sealgate.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link PgpBenchmark}'s methods timed in one JVM, alternating: each round runs every method for the same time,
 * in a rotated order, and each method's speed is divided by raw Bouncy Castle's of the same round (encrypt by
 * rawEncrypt, decrypt by rawDecrypt). On a shared machine a busy moment then hits both sides of a ratio, where
 * JMH's separate measurements give error bars larger than the scores. Round 1 is the warm-up and not counted.
 * Methods missing from the class on the classpath are skipped, so the same runner can time an older build.
 *
 * <p>{@code java -cp bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/* org.sealgate.bench.PgpAlternation [rounds] [ms]}
 */
public final class PgpAlternation {
    private static final List<String> METHODS = List.of("facadeEncrypt", "rawEncrypt", "rawJdkEncrypt",
        "facadeDecrypt", "rawDecrypt", "rawJdkDecrypt");

    private PgpAlternation() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        long millis = args.length > 1 ? Long.parseLong(args[1]) : 1500;
        for (int size : new int[] {102_400, 1_048_576}) {
            PgpBenchmark state = new PgpBenchmark();
            state.size = size;
            state.setUp();
            Map<String, Method> methods = new LinkedHashMap<>();
            for (String name : METHODS) {
                Arrays.stream(PgpBenchmark.class.getMethods()).filter(m -> m.getName().equals(name) && m.getParameterCount() == 0)
                    .findFirst().ifPresent(m -> methods.put(name, m));
            }
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            Map<String, List<Double>> speeds = new LinkedHashMap<>();
            List<String> order = new ArrayList<>(methods.keySet());
            for (int round = 1; round <= rounds; round++) {
                Map<String, Double> opsPerSecond = new LinkedHashMap<>();
                for (String name : order) {
                    opsPerSecond.put(name, time(state, methods.get(name), millis));
                }
                order.add(order.remove(0));
                if (round == 1) {
                    continue;
                }
                for (String name : methods.keySet()) {
                    String reference = name.endsWith("Encrypt") ? "rawEncrypt" : "rawDecrypt";
                    speeds.computeIfAbsent(name, k -> new ArrayList<>()).add(opsPerSecond.get(name));
                    ratios.computeIfAbsent(name, k -> new ArrayList<>()).add(opsPerSecond.get(name) / opsPerSecond.get(reference));
                }
            }
            for (String name : methods.keySet()) {
                System.out.printf("size=%d %-14s ops/s median %8.1f (%.1f-%.1f)  x raw BC median %.2f (%.2f-%.2f)%n", size, name,
                    median(speeds.get(name)), min(speeds.get(name)), max(speeds.get(name)),
                    median(ratios.get(name)), min(ratios.get(name)), max(ratios.get(name)));
            }
        }
    }

    /** Operations per second over at least {@code millis} (every loop ends: one call at least, then by time). */
    private static double time(PgpBenchmark state, Method method, long millis) throws Exception {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        int count = 0;
        Object sink = null;
        do {
            sink = method.invoke(state);
            count++;
        } while (System.nanoTime() < deadline);
        if (sink == null) {
            throw new IllegalStateException(method.getName() + " returned nothing");
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
