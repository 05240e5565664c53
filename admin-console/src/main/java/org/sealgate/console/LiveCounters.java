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
import java.util.Optional;

/**
 * Live counters from a node's Prometheus text endpoint ({@code metrics.url}, e.g. the node admin endpoint's
 * {@code /metrics}), read when the status page is shown: bounded (2 s, 256 KiB, 200 samples), never fatal (a node
 * that cannot be reached is said so on the page).
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
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    boolean configured() {
        return url.isPresent();
    }

    Reading read() {
        if (url.isEmpty()) {
            return new Reading(List.of(), Optional.of("no metrics.url configured"));
        }
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url.get()).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (InputStream body = response.body()) {
                text = new String(body.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            }
            if (response.statusCode() != 200) {
                return new Reading(List.of(), Optional.of(url.get() + " answered " + response.statusCode()));
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
            return new Reading(List.of(), Optional.of("cannot read " + url.get() + ": " + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reading(List.of(), Optional.of("interrupted"));
        }
    }
}
