package org.sealgate.routes.discovery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS WKD or key server on loopback (the JDK's HttpsServer): serves keys by path (or path and query),
 * records requested URIs.
 */
final class WkdServer implements AutoCloseable {
    private final HttpsServer server;
    private final Map<String, byte[]> published = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    WkdServer(SSLContext tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.start();
    }

    void publish(String path, byte[] key) {
        published.put(path, key.clone());
    }

    String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestURI().toString());
            // Exact path and query first (a key server's /pks/lookup?...search=ADDR), then the path alone (WKD).
            byte[] key = published.getOrDefault(exchange.getRequestURI().toString(),
                published.get(exchange.getRequestURI().getPath()));
            if (key == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, key.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(key);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
