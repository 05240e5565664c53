package org.sealgate.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.sealgate.smtp.DrainSwitch;

/**
 * The node's health as a load balancer needs it: healthy only when its SMTP listener greets, its queue takes mail
 * and its configuration is current, and never while it is drained. The reasons are plain text without secrets:
 * the endpoint that shows them is unauthenticated.
 */
public final class NodeHealth {
    /** {@code healthy} with {@code ok}, or unhealthy with every reason found, separated by "; ". */
    public record Status(boolean healthy, String text) {
    }

    private final SmtpProbe smtp;
    private final NodeView node;
    private final DrainSwitch drain;

    public NodeHealth(SmtpProbe smtp, NodeView node, DrainSwitch drain) {
        this.smtp = smtp;
        this.node = node;
        this.drain = drain;
    }

    public Status check() {
        List<String> problems = new ArrayList<>();
        if (drain.isDraining()) {
            problems.add("draining");
        }
        smtp.problem().ifPresent(problems::add);
        collect(problems, node.queueProblem(), "queue");
        collect(problems, node.configProblem(), "config");
        return problems.isEmpty() ? new Status(true, "ok") : new Status(false, String.join("; ", problems));
    }

    private static void collect(List<String> problems, Optional<String> problem, String what) {
        problem.ifPresent(p -> problems.add(p.startsWith(what) ? p : what + ": " + p));
    }
}
