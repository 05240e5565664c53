package org.sealgate.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.sealgate.smtp.DrainSwitch;

/**
 * The node's health as a load balancer needs it: healthy only when its SMTP listener greets, its queue takes mail
 * and its configuration is current, and never while it is drained. The reasons are plain text without secrets:
 * the endpoint that shows them is unauthenticated.
 *
 * <p>Once {@link #start started}, the SMTP and queue checks run in the background every interval and a request
 * reads their last result: an answer never waits for a busy node, so a balancer's check (HAProxy: 2 s timeout)
 * does not time out on every node at once under load and leave it with no server. Draining and the configuration
 * are read at request time. Not started (tests), every check runs at request time.
 */
public final class NodeHealth implements AutoCloseable {
    /** {@code healthy} with {@code ok}, or unhealthy with every reason found, separated by "; ". */
    public record Status(boolean healthy, String text) {
    }

    private record Checked(Instant at, List<String> problems) {
    }

    private final SmtpProbe smtp;
    private final NodeView node;
    private final DrainSwitch drain;
    private final Clock clock;
    private ScheduledExecutorService checker;
    private Duration interval;
    private volatile Checked last;

    public NodeHealth(SmtpProbe smtp, NodeView node, DrainSwitch drain, Clock clock) {
        this.smtp = smtp;
        this.node = node;
        this.drain = drain;
        this.clock = clock;
    }

    /** Runs the SMTP and queue checks every {@code every} from now on, on a daemon thread of their own. */
    public synchronized void start(Duration every) {
        if (checker != null) {
            throw new IllegalStateException("health checks already started");
        }
        interval = every;
        checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sealgate-health");
            thread.setDaemon(true);
            return thread;
        });
        // The first round here, so the endpoint answers from a real result from its first request on.
        runChecks();
        checker.scheduleWithFixedDelay(this::runChecks, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runChecks() {
        try {
            last = new Checked(clock.instant(), backgroundChecks());
        } catch (RuntimeException e) {
            last = new Checked(clock.instant(), List.of("health check failed: " + e.getClass().getSimpleName()));
        }
    }

    public Status check() {
        List<String> problems = new ArrayList<>();
        if (drain.isDraining()) {
            problems.add("draining");
        }
        if (checker == null) {
            problems.addAll(backgroundChecks());
        } else {
            Checked checked = last;
            if (checked == null) {
                problems.add("starting: first checks not done yet");
            } else if (clock.instant().isAfter(checked.at().plus(interval.multipliedBy(10)))) {
                problems.add("health checks stalled since " + checked.at());
            } else {
                problems.addAll(checked.problems());
            }
        }
        collect(problems, node.configProblem(), "config");
        return problems.isEmpty() ? new Status(true, "ok") : new Status(false, String.join("; ", problems));
    }

    private List<String> backgroundChecks() {
        List<String> problems = new ArrayList<>();
        smtp.problem().ifPresent(problems::add);
        collect(problems, node.queueProblem(), "queue");
        return problems;
    }

    private static void collect(List<String> problems, Optional<String> problem, String what) {
        problem.ifPresent(p -> problems.add(p.startsWith(what) ? p : what + ": " + p));
    }

    @Override
    public synchronized void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
