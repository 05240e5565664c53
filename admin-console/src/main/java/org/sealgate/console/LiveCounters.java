package org.sealgate.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.sealgate.zk.registry.NodeStatus;

/**
 * Live counters from a node's Prometheus text endpoint ({@code metrics.url}, e.g. the node admin endpoint's
 * {@code /metrics}), read when the status page is shown: bounded (2 s, 256 KiB, 200 samples), never fatal (a node
 * that cannot be reached is said so on the page). Every registered node's own counters come from the admin address
 * it publishes in the registry ({@link #readNodes}).
 */
final class LiveCounters {
    static final int MAX_BYTES = 256 * 1024;
    static final int MAX_SAMPLES = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    record Sample(String name, String value) {
    }

    /** The samples, or why there are none. */
    record Reading(List<Sample> samples, Optional<String> problem) {
    }

    private final Optional<URI> url;
    private final HttpClient http;

    LiveCounters(Optional<URI> url) {
        this.url = url;
        // HTTP/1.1: the node's admin endpoint (the JDK's server) speaks nothing else; no h2c upgrade offered.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    boolean configured() {
        return url.isPresent();
    }

    Reading read() {
        if (url.isEmpty()) {
            return new Reading(List.of(), Optional.of("no metrics.url configured"));
        }
        return read(url.get());
    }

    /**
     * Every node's counters from its admin endpoint's {@code /metrics} (address from the registry), read at once:
     * the page waits at most about one {@link #TIMEOUT}, however many nodes do not answer. Ordered as given.
     */
    Map<String, Reading> readNodes(List<NodeStatus> nodes) {
        Map<String, CompletableFuture<Reading>> pending = new LinkedHashMap<>();
        for (NodeStatus node : nodes) {
            if (node.admin() == null || !node.admin().matches("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}")) {
                pending.put(node.id(), CompletableFuture.completedFuture(
                    new Reading(List.of(), Optional.of("publishes no admin address"))));
                continue;
            }
            URI uri = URI.create("http://" + node.admin() + "/metrics");
            pending.put(node.id(), CompletableFuture.supplyAsync(() -> read(uri)));
        }
        Map<String, Reading> readings = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.multipliedBy(2).toNanos();
        for (Map.Entry<String, CompletableFuture<Reading>> entry : pending.entrySet()) {
            Reading reading;
            try {
                reading = entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                reading = new Reading(List.of(), Optional.of("no answer within " + TIMEOUT.multipliedBy(2).toSeconds() + " s"));
            } catch (ExecutionException e) {
                reading = new Reading(List.of(), Optional.of("cannot read: " + e.getCause().getClass().getSimpleName()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reading = new Reading(List.of(), Optional.of("interrupted"));
            }
            readings.put(entry.getKey(), reading);
        }
        return readings;
    }

    private Reading read(URI target) {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(target).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (InputStream body = response.body()) {
                text = new String(body.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            }
            if (response.statusCode() != 200) {
                return new Reading(List.of(), Optional.of(target + " answered " + response.statusCode()));
            }
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                String l = line.strip();
                int space = l.lastIndexOf(' ');
                if (l.isEmpty() || l.startsWith("#") || space <= 0) {
                    continue;
                }
                samples.add(new Sample(l.substring(0, space), l.substring(space + 1)));
                if (samples.size() >= MAX_SAMPLES) {
                    break;
                }
            }
            return new Reading(samples, Optional.empty());
        } catch (IOException e) {
            return new Reading(List.of(), Optional.of("cannot read " + target + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reading(List.of(), Optional.of("interrupted"));
        }
    }
}
