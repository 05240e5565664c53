package org.sealgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sealgate.admin.AdminEndpoints;
import org.sealgate.admin.AdminToken;

/**
 * {@code sealgate node drain [--data DIR] [--wait SECONDS]} and {@code sealgate node resume [--data DIR]}: tell the
 * running node, through its admin endpoint, to stop taking new mail (or to take it again). The endpoint's address
 * and its token are in {@code DATA/admin/}, readable by the node's user only: only that user (or root) can drain.
 * Drain then waits, bounded, until the node's queue is empty.
 */
final class NodeDrainCommand {
    private static final Pattern QUEUED = Pattern.compile("queued=(\\d+|unknown)");
    private static final Duration POLL = Duration.ofMillis(500);

    private NodeDrainCommand() {
    }

    static boolean handles(List<String> args) {
        return !args.isEmpty() && (args.get(0).equals("drain") || args.get(0).equals("resume"));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String action = args.get(0);
        Arguments arguments = new Arguments(args.subList(1, args.size()),
            action.equals("drain") ? Set.of("data", "wait") : Set.of("data"));
        if (arguments.positionalCount() > 0) {
            throw new Arguments.UsageException("node " + action + ": unexpected argument '" + arguments.positional(0, "") + "'");
        }
        long waitSeconds = arguments.option("wait").map(NodeDrainCommand::seconds).orElse(120L);
        Path admin = arguments.dataDirectory().resolve("admin");
        String endpoint;
        String token;
        try {
            endpoint = AdminEndpoints.read(admin);
            token = AdminToken.read(admin);
        } catch (NoSuchFileException e) {
            err.println("sealgate: no running node in " + arguments.dataDirectory() + " (" + e.getFile() + " missing)");
            return 1;
        } catch (java.nio.file.AccessDeniedException e) {
            err.println("sealgate: " + e.getFile() + ": permission denied (run as the node's user)");
            return 1;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://" + endpoint + "/" + action);
        String reply;
        try {
            reply = send(http, HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), token);
        } catch (IOException e) {
            err.println("sealgate: the node's admin endpoint " + endpoint + " does not answer (" + e.getMessage()
                + "); is the node running?");
            return 1;
        }
        if (action.equals("resume")) {
            out.println("Node resumed: taking mail again (health 200 once SMTP, queue and configuration are fine).");
            return 0;
        }
        out.println("Node draining: health answers 503 \"draining\", so the load balancer stops sending to it; "
            + "SMTP answers 421 to new mail after the grace period (admin.drain-grace-seconds). Queued mail keeps leaving.");
        Instant deadline = Instant.now().plusSeconds(waitSeconds);
        String queued = queued(reply);
        while (!queued.equals("0") && Instant.now().isBefore(deadline)) {
            Thread.sleep(POLL.toMillis());
            queued = queued(send(http, HttpRequest.newBuilder(uri).GET(), token));
        }
        if (queued.equals("0")) {
            out.println("Queue empty: the node can be stopped without holding mail.");
            return 0;
        }
        out.println("Queue still holds " + queued + " mail(s) after " + waitSeconds + " s (deliveries waiting for a retry "
            + "stay queued; they survive a restart). The node keeps draining; 'sealgate node resume' undoes it.");
        return 3;
    }

    private static String send(HttpClient http, HttpRequest.Builder request, String token) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body().strip());
        }
        return response.body();
    }

    private static String queued(String reply) {
        Matcher matcher = QUEUED.matcher(reply);
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    private static long seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 0 || seconds > 86_400) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new Arguments.UsageException("--wait: seconds from 0 to 86400, got '" + value + "'");
        }
    }
}
