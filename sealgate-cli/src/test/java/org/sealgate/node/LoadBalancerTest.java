package org.sealgate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.cli.CliAccess;
import org.sealgate.testing.FreePorts;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.SmtpSink;

/**
 * HAProxy (the repository's docs/examples/haproxy.cfg, as shipped) in front of two real gateway node processes:
 * a bounded load of 300 mails from a pool of SMTP clients while node A is killed with SIGKILL and later restarted.
 * Every mail that got 250 must reach the next hop (counted by Message-ID; a loss fails, a duplicate is reported);
 * HAProxy must take the dead node out by its health check; {@code node drain} then takes node A out with no mail
 * refused. The figures go to target/lb-failover.md (cited in docs/benchmarks/history.md); nothing here is a timed
 * assert. All on loopback; HAProxy and both nodes are stopped even when the test fails.
 */
class LoadBalancerTest {
    private static final int MAILS = 300;
    private static final int CLIENTS = 6;
    private static final int DRAIN_MAILS = 50;
    private static final String ALICE = "alice@" + Gateway.MANAGED_DOMAIN;
    private static final String CAROL = "carol@partner.example";
    private static final List<String> REFUSALS = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path work;
    private SmtpSink sink;
    private NodeProcess nodeA;
    private NodeProcess nodeB;
    private Process haproxy;
    private Path statsSocket;

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (NodeProcess node : new NodeProcess[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        if (sink != null) {
            sink.close();
        }
        if (statsSocket != null) {
            Files.deleteIfExists(statsSocket);
            Files.deleteIfExists(statsSocket.getParent());
        }
    }

    @Test
    void haproxyShouldLoseNoAcceptedMailWhenANodeIsKilledAndDrainShouldRefuseNone() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/sbin/haproxy")), "haproxy (Debian package haproxy)");
        Prerequisites.require(Files.isExecutable(Path.of("/usr/sbin/smtp-sink")), "smtp-sink (Debian package postfix)");
        sink = SmtpSink.onFreePort();
        int adminA = FreePorts.next();
        int adminB = FreePorts.next();
        Path dataA = prepareNode("node-a", adminA);
        Path dataB = prepareNode("node-b", adminB);
        nodeA = NodeProcess.start(dataA, smtpPort(dataA), work.resolve("node-a.log"));
        nodeB = NodeProcess.start(dataB, smtpPort(dataB), work.resolve("node-b.log"));
        int lbPort = FreePorts.next();
        startHaproxy(lbPort, adminA, adminB);
        awaitServer("node-a", "UP");
        awaitServer("node-b", "UP");

        // The load: each client sends its share, one connection per mail, retrying a refused or broken attempt
        // a bounded number of times like an MTA would; only a final 250 counts as accepted.
        Map<String, Integer> accepted = Collections.synchronizedMap(new HashMap<>());
        List<Instant> failedAttempts = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger refusedForGood = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Instant loadStart = Instant.now();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int i = client; i < MAILS; i += CLIENTS) {
                    send(lbPort, "lb-" + i, accepted, failedAttempts, refusedForGood);
                    pause(Duration.ofMillis(600));
                }
            });
        }
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> accepted.size() >= 60);
        Instant killed = Instant.now();
        nodeA.kill();
        Instant down = awaitServer("node-a", "DOWN");
        int acceptedAtKill = accepted.size();
        nodeA.startAgain();
        Instant upAgain = awaitServer("node-a", "UP");
        clients.shutdown();
        assertThat(clients.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        Instant loadEnd = Instant.now();

        // Every accepted mail arrives, node A's queued ones after its restart (the durable queue).
        Map<String, Long> delivered = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .until(() -> deliveredCounts(), counts -> counts.keySet().containsAll(accepted.keySet()));
        List<String> lost = accepted.keySet().stream().filter(id -> !delivered.containsKey(id)).sorted().toList();
        long duplicates = delivered.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        assertThat(lost).as("accepted with 250 but never delivered").isEmpty();
        assertThat(REFUSALS).as("mails refused for good").isEmpty();
        assertThat(accepted).hasSize(MAILS);
        List<Instant> failuresAfterKill = failedAttempts.stream().filter(t -> !t.isBefore(killed)).sorted().toList();

        // Drain: health 503 at once, HAProxy takes node A out within the grace period, no client is refused.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CliAccess.node(List.of("drain", "--data", dataA.toString(), "--wait", "60"),
            new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Node draining", "Queue empty");
        Instant drained = Instant.now();
        Instant drainedDown = awaitServer("node-a", "DOWN");
        long auditLinesA = auditLines(dataA);
        Map<String, Integer> drainAccepted = Collections.synchronizedMap(new HashMap<>());
        List<Instant> drainFailures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger drainRefused = new AtomicInteger();
        for (int i = 0; i < DRAIN_MAILS; i++) {
            send(lbPort, "drain-" + i, drainAccepted, drainFailures, drainRefused);
        }
        assertThat(drainFailures).as("attempts refused or broken while node A drains").isEmpty();
        assertThat(drainRefused).hasValue(0);
        assertThat(drainAccepted.values()).containsOnly(1);    // every mail taken at its first attempt
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
            .until(() -> deliveredCounts().keySet().containsAll(drainAccepted.keySet()));
        assertThat(auditLines(dataA)).as("node A took no new mail while drained").isEqualTo(auditLinesA);
        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        assertThat(CliAccess.node(List.of("resume", "--data", dataA.toString()),
            new PrintStream(resumed, true, StandardCharsets.UTF_8))).isZero();
        awaitServer("node-a", "UP");

        String figures = """
            ## Load-balancer failover (LoadBalancerTest, %s)
            HAProxy %s with docs/examples/haproxy.cfg (check /healthz every 1 s, fall 2, rise 2, redispatch) in front of
            two gateway node JVMs on loopback, relaying to smtp-sink; %d mails from %d clients (one connection per mail,
            600 ms pause between a client's mails, a failed attempt retried after 200 ms × attempt, at most 2 s, 20 attempts).
            Node A killed with SIGKILL after %d accepted mails, restarted once HAProxy had marked it DOWN.

            | figure | value |
            |---|---|
            | kill → HAProxy marks node A DOWN | %d ms |
            | restart of node A → HAProxy marks it UP | %d ms |
            | client attempts that failed before the kill (retried) | %d |
            | client attempts that failed after the kill (retried) | %d |
            | last failed attempt after the kill | %s |
            | mails accepted (250) | %d |
            | mails lost | %d |
            | duplicates delivered | %d |
            | load duration | %d s |
            | drain: `node drain` returned → HAProxy marks node A DOWN | %d ms |
            | drain: mails refused while draining (of %d) | %d |
            """.formatted(Instant.now(), haproxyVersion(), MAILS, CLIENTS, acceptedAtKill,
            Duration.between(killed, down).toMillis(), Duration.between(down, upAgain).toMillis(),
            failedAttempts.size() - failuresAfterKill.size(), failuresAfterKill.size(), failuresAfterKill.isEmpty() ? "none"
                : Duration.between(killed, failuresAfterKill.get(failuresAfterKill.size() - 1)).toMillis() + " ms after the kill",
            accepted.size(), lost.size(), duplicates, Duration.between(loadStart, loadEnd).toSeconds(),
            Duration.between(drained, drainedDown).toMillis(), DRAIN_MAILS, drainFailures.size() + drainRefused.get());
        Path report = Path.of("target", "lb-failover.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, figures, StandardCharsets.UTF_8);
        System.out.println(figures);
    }

    private static void send(int port, String id, Map<String, Integer> accepted, List<Instant> failedAttempts,
                             AtomicInteger refusedForGood) {
        byte[] mail = TestMails.plain(ALICE, List.of(CAROL), "Load " + id, id, "load-balanced mail " + id);
        String last = "";
        for (int attempt = 1; attempt <= 20; attempt++) {
            try (SmtpClient client = new SmtpClient(port)) {
                SmtpClient.Reply reply = client.mail(ALICE, List.of(CAROL), mail);
                if (reply.code() == 250) {
                    accepted.put(id + "@client.test", attempt);
                    return;
                }
                failedAttempts.add(Instant.now());
                last = reply.text();
                if (reply.code() >= 500) {
                    REFUSALS.add(id + ": " + reply.text());
                    refusedForGood.incrementAndGet();
                    return;
                }
            } catch (IOException e) {
                failedAttempts.add(Instant.now());
                last = e.toString();
            }
            pause(Duration.ofMillis(Math.min(2000, 200L * attempt)));    // like an MTA, briefly: ≈ 30 s in all
        }
        REFUSALS.add(id + ": gave up after 20 attempts, the last: " + last);
        refusedForGood.incrementAndGet();
    }

    private Path prepareNode(String name, int adminPort) throws IOException {
        Path data = Files.createDirectories(work.resolve(name));
        new NodeSettings(name + ".test", "127.0.0.1", FreePorts.next(), List.of("127.0.0.1/32"),
            List.of(Gateway.MANAGED_DOMAIN), Optional.of(sink.hostPort()), 51200, true).save(data);
        Files.writeString(data.resolve(NodeSettings.FILE_NAME), "admin.host=127.0.0.1\nadmin.port=" + adminPort
            + "\nadmin.drain-grace-seconds=5\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.writeString(data.resolve("policy.properties"), "default.encrypt = opportunistic\n", StandardCharsets.UTF_8);
        return data;
    }

    private static int smtpPort(Path data) throws IOException {
        return NodeSettings.load(data).smtpPort();
    }

    private void startHaproxy(int lbPort, int adminA, int adminB) throws IOException {
        statsSocket = Files.createTempDirectory("sg-lb-").resolve("stats.sock");
        Path config = Prerequisites.repositoryRoot().resolve("docs/examples/haproxy.cfg");
        ProcessBuilder builder = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", config.toString())
            .redirectErrorStream(true).redirectOutput(work.resolve("haproxy.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SMTP_BIND", "127.0.0.1:" + lbPort);
        env.put("NODE_A", "127.0.0.1:" + nodeA.smtpPort());
        env.put("NODE_B", "127.0.0.1:" + nodeB.smtpPort());
        env.put("NODE_A_ADMIN_PORT", Integer.toString(adminA));
        env.put("NODE_B_ADMIN_PORT", Integer.toString(adminB));
        env.put("GINA_BIND", "127.0.0.1:" + FreePorts.next());
        env.put("GINA_VIP", "127.0.0.1:" + FreePorts.next());    // no portal in this test: that backend stays DOWN
        env.put("STATS_SOCKET", statsSocket.toString());
        haproxy = builder.start();
    }

    /** Waits (up to two minutes) until HAProxy's own view of the server has this status; returns when it did. */
    private Instant awaitServer(String server, String status) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
            .until(() -> status.equals(serverStatus(server)));
        return Instant.now();
    }

    private String serverStatus(String server) {
        if (!haproxy.isAlive()) {
            throw new AssertionError("haproxy exited: " + read(work.resolve("haproxy.log")));
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(statsSocket));
            channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            for (int i = 0; i < 1000 && channel.read(buffer) > 0; i++) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            for (String line : answer.toString(StandardCharsets.US_ASCII).split("\n")) {
                String[] fields = line.split(",", -1);
                if (fields.length > 17 && fields[0].equals("sealgate_smtp") && fields[1].equals(server)) {
                    return fields[17].split(" ")[0];   // "UP", "DOWN", "UP 1/2", "MAINT", ...
                }
            }
            return "absent";
        } catch (IOException e) {
            return "no-socket";
        }
    }

    private Map<String, Long> deliveredCounts() {
        return sink.messages().stream().map(LoadBalancerTest::messageId)
            .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    }

    private static String messageId(MimeMessage message) {
        String id = SmtpSink.messageId(message);
        return id.replace("<", "").replace(">", "").strip();
    }

    private static long auditLines(Path data) throws IOException {
        Path audit = data.resolve("audit/audit.jsonl");
        if (!Files.exists(audit)) {
            return 0;
        }
        try (var lines = Files.lines(audit, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static String haproxyVersion() {
        try {
            Process version = new ProcessBuilder("/usr/sbin/haproxy", "-v").redirectErrorStream(true).start();
            String first = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            version.waitFor(10, TimeUnit.SECONDS);
            return first.replace("HAProxy version ", "").split(" ")[0];
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
