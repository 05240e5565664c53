package org.sealgate.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.sealgate.smtp.DrainSwitch;
import org.sealgate.zk.admin.NodeAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The admin endpoint on the JDK's own HTTP server: no second Jetty next to James's Jetty 9, no dependency. Two
 * worker threads and a short queue: a flood of probes can delay the endpoint, never the node's mail.
 */
final class AdminEndpointImpl implements AdminEndpoint {
    private static final Logger LOGGER = LoggerFactory.getLogger(AdminEndpointImpl.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final AdminToken token;
    private final NodeHealth health;
    private final NodeMetrics metrics;
    private final NodeView node;
    private final DrainSwitch drain;
    private final HeldRequests held;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AdminEndpointImpl(HttpServer server, ThreadPoolExecutor workers, AdminToken token, NodeHealth health,
                              NodeMetrics metrics, NodeView node, DrainSwitch drain, HeldRequests held) {
        this.server = server;
        this.workers = workers;
        this.token = token;
        this.health = health;
        this.metrics = metrics;
        this.node = node;
        this.drain = drain;
        this.held = held;
    }

    static AdminEndpointImpl start(InetSocketAddress bind, AdminToken token, NodeHealth health, NodeMetrics metrics,
                                   NodeView node, DrainSwitch drain, HeldRequests held) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(bind, 16);
        } catch (IOException e) {
            throw new IOException("admin endpoint: cannot listen on " + bind.getHostString() + ":" + bind.getPort()
                + " (admin.host/admin.port in sealgate.properties): " + e.getMessage(), e);
        }
        ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
            runnable -> {
                Thread thread = new Thread(runnable, "sealgate-admin");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());
        AdminEndpointImpl endpoint = new AdminEndpointImpl(server, workers, token, health, metrics, node, drain, held);
        server.createContext("/", endpoint::handle);
        server.setExecutor(workers);
        server.start();
        LOGGER.info("Admin endpoint on http://{}:{} (/healthz, /metrics, /drain, /held)", bind.getHostString(),
            server.getAddress().getPort());
        return endpoint;
    }

    @Override
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            drainBody(exchange.getRequestBody());
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/healthz" -> {
                    if (readOnly(exchange, method)) {
                        NodeHealth.Status status = health.check();
                        respond(exchange, status.healthy() ? 200 : 503, TEXT, status.text() + "\n", method);
                    }
                }
                case "/metrics" -> {
                    if (readOnly(exchange, method)) {
                        respond(exchange, 200, metrics.contentType(), metrics.scrape(), method);
                    }
                }
                case "/drain", "/resume" -> drainRequest(exchange, path, method);
                default -> {
                    if (HeldRequests.handles(path)) {
                        heldRequest(exchange, path, method);
                    } else {
                        respond(exchange, 404, TEXT, "not found\n", method);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("Admin endpoint request failed: {}", e.toString());
        }
    }

    private void drainRequest(HttpExchange exchange, String path, String method) throws IOException {
        boolean status = path.equals("/drain") && method.equals("GET");
        if (!status && !method.equals("POST")) {
            exchange.getResponseHeaders().set("Allow", path.equals("/drain") ? "GET, POST" : "POST");
            respond(exchange, 405, TEXT, "method not allowed\n", method);
            return;
        }
        if (!token.authorizes(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, TEXT, "the token from DATA/admin/token is required\n", method);
            return;
        }
        if (!status) {
            if (path.equals("/drain")) {
                drain.drain();
                LOGGER.warn("Node draining: health 503 now, SMTP answers 421 at MAIL after {} s; queue keeps delivering",
                    drain.grace().toSeconds());
            } else {
                drain.resume();
                LOGGER.warn("Node resumed: taking mail again");
            }
        }
        String queued;
        try {
            queued = Long.toString(node.queuedMails());
        } catch (IOException | RuntimeException e) {
            queued = "unknown";
        }
        respond(exchange, 200, TEXT, "draining=" + drain.isDraining() + " refusing=" + drain.isRefusing()
            + " queued=" + queued + "\n", method);
    }

    private void heldRequest(HttpExchange exchange, String path, String method) throws IOException {
        String allowed = HeldRequests.allowed(path);
        if (allowed == null) {
            respond(exchange, 404, TEXT, "not found\n", method);
            return;
        }
        if (!method.equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            respond(exchange, 405, TEXT, "method not allowed\n", method);
            return;
        }
        String caller = HeldRequests.caller(exchange.getRequestHeaders().getFirst(NodeAdminClient.CALLER_HEADER));
        if (!token.authorizes(exchange.getRequestHeaders().getFirst("Authorization"))) {
            LOGGER.warn("Admin endpoint: {} {} refused without a valid token (from {}, calling itself {})", method, path,
                exchange.getRemoteAddress().getAddress().getHostAddress(), caller);
            respond(exchange, 401, TEXT, "the cluster admin token or the token from DATA/admin/token is required\n", method);
            return;
        }
        HeldRequests.Answer answer;
        try {
            answer = held.handle(method, path, caller);
        } catch (Exception e) {
            LOGGER.warn("Admin endpoint: {} {} by {} failed: {}", method, path, caller, e.toString());
            answer = HeldRequests.Answer.text(500, "failed; see the node's log\n");
        }
        respond(exchange, answer.status(), answer.type(), answer.body(), method);
    }

    private static boolean readOnly(HttpExchange exchange, String method) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, TEXT, "method not allowed\n", method);
        return false;
    }

    private static void respond(HttpExchange exchange, int code, String type, String body, String method) throws IOException {
        respond(exchange, code, type, body.getBytes(StandardCharsets.UTF_8), method);
    }

    private static void respond(HttpExchange exchange, int code, String type, byte[] body, String method) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(code, -1);
            return;
        }
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Reads and drops at most 4 KiB of a request body: nothing here takes one. */
    private static void drainBody(InputStream body) throws IOException {
        body.readNBytes(4096);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            workers.shutdownNow();
        }
    }
}
