package org.sealgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.smtp.DrainSwitch;

/**
 * The admin endpoint over real HTTP with a real SMTP greeting to probe: 503 with the reason when the listener does
 * not greet, the configuration is stale or the node drains; drain only with the token.
 */
class NodeHealthTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;
    private ServerSocket smtp;
    private AdminEndpoint endpoint;
    private volatile Optional<String> configProblem = Optional.empty();
    private final DrainSwitch drain = new DrainSwitch(Duration.ZERO, Clock.systemUTC());

    @AfterEach
    void stop() throws IOException {
        if (endpoint != null) {
            endpoint.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    @Test
    void healthzShouldReturn200OnlyWhileSmtpGreetsAndConfigIsCurrent() throws Exception {
        startGreeter();
        start(new InetSocketAddress("127.0.0.1", smtp.getLocalPort()));
        assertThat(get("/healthz")).isEqualTo(Map.entry(200, "ok\n"));

        configProblem = Optional.of("config stale since 2026-01-01T00:00:00Z (serving version 4)");
        HttpResponse<String> stale = HTTP.send(request("/healthz").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stale.statusCode()).isEqualTo(503);
        assertThat(stale.body()).contains("config stale since");
        assertThat(stale.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void healthzShouldReturn503WhenSmtpListenerIsStopped() throws Exception {
        startGreeter();
        int port = smtp.getLocalPort();
        smtp.close();   // nothing listens there any more
        start(new InetSocketAddress("127.0.0.1", port));
        Map.Entry<Integer, String> health = get("/healthz");
        assertThat(health.getKey()).isEqualTo(503);
        assertThat(health.getValue()).contains("smtp 127.0.0.1:" + port, "not accepting");
    }

    @Test
    void healthzShouldReturn503WhileDrainingAndDrainShouldNeedTheToken() throws Exception {
        startGreeter();
        start(new InetSocketAddress("127.0.0.1", smtp.getLocalPort()));
        // No token, a wrong one, a browser's simple form POST: refused, nothing changes.
        assertThat(post("/drain", Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(post("/drain", Optional.of("Bearer not-the-token")).statusCode()).isEqualTo(401);
        assertThat(HTTP.send(request("/drain").header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("a=b")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(401);
        assertThat(drain.isDraining()).isFalse();
        assertThat(get("/healthz").getKey()).isEqualTo(200);

        String token = "Bearer " + AdminToken.read(work.resolve("admin"));
        HttpResponse<String> drained = post("/drain", Optional.of(token));
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).contains("draining=true", "queued=3");
        assertThat(get("/healthz")).isEqualTo(Map.entry(503, "draining\n"));
        assertThat(get("/metrics").getValue()).contains("sealgate_draining 1.0");

        assertThat(post("/resume", Optional.of(token)).statusCode()).isEqualTo(200);
        assertThat(get("/healthz").getKey()).isEqualTo(200);
    }

    @Test
    void tokenFileShouldBeReadableByTheNodeUserOnlyAndMethodsOtherThanGetRefused() throws Exception {
        startGreeter();
        start(new InetSocketAddress("127.0.0.1", smtp.getLocalPort()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("admin/token"))))
            .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("admin"))))
            .isEqualTo("rwx------");
        assertThat(AdminEndpoints.read(work.resolve("admin"))).isEqualTo("127.0.0.1:" + endpoint.address().getPort());
        assertThat(post("/healthz", Optional.empty()).statusCode()).isEqualTo(405);
        assertThat(get("/anything").getKey()).isEqualTo(404);
    }

    @Test
    void metricsShouldShowTheMemoryBudgetsReservedBytesWaitingMailsAndTimeouts() throws Exception {
        NodeMetrics metrics = new NodeMetrics(new FixedNode(), drain, Clock.systemUTC());
        MailMemoryBudget budget = MailMemoryBudgets.of(100L << 20, 2, Duration.ofSeconds(2));
        metrics.registerMemoryBudget(budget);
        MailMemoryBudget.Reservation held = budget.reserve(40L << 20).orElseThrow();
        Thread waiter = new Thread(() -> {
            try {
                budget.reserve(40L << 20).ifPresent(MailMemoryBudget.Reservation::close);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (budget.waitingMails() == 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            String waiting = new String(metrics.scrape(), StandardCharsets.UTF_8);
            assertThat(waiting).contains("sealgate_mail_budget_capacity_bytes 1.048576E8",
                "sealgate_mail_budget_reserved_bytes 8.388608E7", "sealgate_mail_budget_waiting_mails 1.0",
                "sealgate_mail_budget_timeouts_total 0.0");
        } finally {
            waiter.join(5000);
        }
        held.close();
        // The waiter gave up after 2 s: counted once, nothing held or waiting any more.
        assertThat(new String(metrics.scrape(), StandardCharsets.UTF_8)).contains(
            "sealgate_mail_budget_reserved_bytes 0.0", "sealgate_mail_budget_waiting_mails 0.0",
            "sealgate_mail_budget_timeouts_total 1.0");
    }

    private void start(InetSocketAddress smtpListener) throws IOException {
        NodeView view = new FixedNode();
        SmtpProbe probe = new SmtpProbe(smtpListener, Duration.ZERO, Clock.systemUTC());
        endpoint = AdminEndpoints.start(new InetSocketAddress("127.0.0.1", 0), work.resolve("admin"),
            new NodeHealth(probe, view, drain, Clock.systemUTC()), new NodeMetrics(view, drain, Clock.systemUTC()), view, drain);
    }

    /** A real listener that greets like an SMTP server. */
    private void startGreeter() throws IOException {
        smtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!smtp.isClosed()) {
                try (Socket client = smtp.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("220 test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    client.getInputStream().readNBytes(6);
                } catch (IOException e) {
                    // closed
                }
            }
        }, "greeter");
        thread.setDaemon(true);
        thread.start();
    }

    private Map.Entry<Integer, String> get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        return Map.entry(response.statusCode(), response.body());
    }

    private HttpResponse<String> post(String path, Optional<String> authorization) throws Exception {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.noBody());
        authorization.ifPresent(value -> request.header("Authorization", value));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path))
            .timeout(Duration.ofSeconds(10));
    }

    /** The node's queue and configuration as this test sets them. */
    private final class FixedNode implements NodeView {
        @Override
        public QueueStats queues() {
            return new QueueStats(Map.of("spool", 1L, "outgoing", 2L), 1, 2);
        }

        @Override
        public long queuedMails() {
            return 3;
        }

        @Override
        public Optional<String> queueProblem() {
            return Optional.empty();
        }

        @Override
        public Optional<String> configProblem() {
            return configProblem;
        }

        @Override
        public OptionalInt configVersion() {
            return OptionalInt.of(4);
        }

        @Override
        public Optional<Instant> configAppliedAt() {
            return Optional.of(Instant.now().minusSeconds(60));
        }

        @Override
        public Optional<Instant> configStaleSince() {
            return Optional.empty();
        }

        @Override
        public Optional<Boolean> zooKeeperConnected() {
            return Optional.of(true);
        }
    }
}
