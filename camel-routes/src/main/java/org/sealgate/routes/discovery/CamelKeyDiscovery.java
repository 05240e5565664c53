package org.sealgate.routes.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.discovery.DiscoveredKey;
import org.sealgate.keys.discovery.DiscoveredKeyValidator;
import org.sealgate.keys.discovery.DiscoveryCandidate;
import org.sealgate.keys.discovery.DiscoveryResult;
import org.sealgate.keys.discovery.KeyDiscovery;

/**
 * Key discovery over the per-source Camel routes: sources are asked one after the other in the domain's order,
 * each for at most its own timeout and never past the caller's bound; the first source that yields a valid key
 * ends the search. A slow or dead source is given up (its reason says so) and the next one asked, so a mail is
 * never held longer than the bound. Results, found or not, are cached.
 */
public final class CamelKeyDiscovery implements KeyDiscovery {
    /**
     * Less than this left of the bound counts as used up: a source cannot answer in it, and a wait that ended at the
     * deadline reads the clock a millisecond early (truncation), which must not turn "not asked" into "given up".
     */
    private static final Duration LEAST_USEFUL_WAIT = Duration.ofMillis(10);

    private final Map<String, KeySource> sources = new LinkedHashMap<>();
    private final DiscoveryOrder order;
    private final Supplier<DiscoveredKeyValidator> validator;
    private final DiscoveryCache cache;
    private final Clock clock;
    private final ProducerTemplate template;

    private CamelKeyDiscovery(CamelContext camel, List<KeySource> sources, DiscoveryOrder order,
                              Supplier<DiscoveredKeyValidator> validator, DiscoveryCache cache, Clock clock) {
        sources.forEach(source -> this.sources.put(source.name(), source));
        this.order = order;
        this.validator = validator;
        this.cache = cache;
        this.clock = clock;
        this.template = camel.createProducerTemplate();
    }

    /** Adds one route per source to the (started or not) context and returns the discovery that uses them. */
    public static CamelKeyDiscovery start(CamelContext camel, List<KeySource> sources, DiscoveryOrder order,
                                          DiscoveredKeyValidator validator, DiscoveryCache cache, Clock clock) {
        return start(camel, sources, order, () -> validator, cache, clock);
    }

    /**
     * As above, with the validator made anew for each look-up (a node's trust anchors and CRLs change while it runs:
     * a validator built at start would keep trusting a removed anchor).
     */
    public static CamelKeyDiscovery start(CamelContext camel, List<KeySource> sources, DiscoveryOrder order,
                                          Supplier<DiscoveredKeyValidator> validator, DiscoveryCache cache,
                                          Clock clock) {
        if (sources.stream().map(KeySource::name).distinct().count() != sources.size()) {
            throw new IllegalArgumentException("two key sources with one name");
        }
        try {
            camel.addRoutes(new KeyDiscoveryRoutes(sources));
        } catch (Exception e) {
            // Boundary: addRoutes declares Exception.
            throw new IllegalStateException("cannot add the key discovery routes: " + e.getMessage(), e);
        }
        return new CamelKeyDiscovery(camel, sources, order, validator, cache, clock);
    }

    public DiscoveryCache cache() {
        return cache;
    }

    @Override
    public DiscoveryResult discover(String recipient, Duration bound) {
        String address = Addresses.normalise(recipient);
        var cached = cache.get(address);
        if (cached.isPresent()) {
            return cached.get();
        }
        Instant deadline = clock.instant().plus(bound);
        DiscoveredKeyValidator validator = this.validator.get();
        List<DiscoveredKey> keys = new ArrayList<>();
        List<DiscoveredKey> refused = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        boolean complete = true;
        List<String> names = order.forDomain(Addresses.domainOf(address));
        if (names.isEmpty()) {
            reasons.add("key discovery is off for " + Addresses.domainOf(address));
        }
        for (String name : names) {
            KeySource source = sources.get(name);
            if (source == null) {
                reasons.add(name + ": no such key source is configured");
                continue;
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.compareTo(LEAST_USEFUL_WAIT) < 0) {
                reasons.add(name + ": not asked, the bound of " + bound.toMillis() + " ms was used up");
                complete = false;
                continue;
            }
            Duration wait = source.timeout().compareTo(remaining) < 0 ? source.timeout() : remaining;
            List<DiscoveryCandidate> candidates = ask(source, address, wait, bound, reasons);
            if (candidates == null) {
                complete = false;
                continue;
            }
            if (candidates.isEmpty()) {
                reasons.add(name + ": nothing published for " + address);
            }
            for (DiscoveryCandidate candidate : candidates) {
                DiscoveredKeyValidator.Outcome outcome = validator.validate(candidate, address);
                if (outcome.accepted()) {
                    keys.add(outcome.key());
                } else {
                    reasons.add(name + ": refused a " + candidate.kind() + " key: " + outcome.reason());
                    if (outcome.unusable() != null) {
                        refused.add(outcome.unusable());
                    }
                }
            }
            if (!keys.isEmpty()) {
                break;
            }
        }
        DiscoveryResult result = new DiscoveryResult(keys, reasons, false, refused);
        // A search cut short by a dead source is not cached as "nothing there": the next mail asks again.
        if (result.found() || complete) {
            cache.put(address, result);
        }
        return result;
    }

    /** The source's candidates, or null (with a reason) when it failed or was given up. */
    @SuppressWarnings("unchecked")
    private List<DiscoveryCandidate> ask(KeySource source, String address, Duration wait, Duration bound,
                                         List<String> reasons) {
        CompletableFuture<Object> answer =
            template.asyncRequestBody(KeyDiscoveryRoutes.ENDPOINT_PREFIX + source.name(), address);
        try {
            Object body = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return body instanceof List<?> list ? (List<DiscoveryCandidate>) list : List.of();
        } catch (TimeoutException e) {
            answer.cancel(true);
            reasons.add(source.name() + (wait.compareTo(source.timeout()) < 0
                ? ": given up, the bound of " + bound.toMillis() + " ms was used up"
                : ": gave up after its timeout of " + source.timeout().toMillis() + " ms"));
        } catch (ExecutionException e) {
            reasons.add(source.name() + (ranOutOfTime(e)
                ? ": gave up after its timeout of " + source.timeout().toMillis() + " ms"
                : ": failed: " + rootMessage(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            reasons.add(source.name() + ": interrupted");
        }
        return null;
    }

    /** The source's own timeout (its HTTP request, socket or deadline) ended it, not an answer. */
    private static boolean ranOutOfTime(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SourceTimeoutException || cause instanceof java.net.http.HttpTimeoutException
                || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
