package org.sealgate.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint on a free loopback port (the JDK's HttpServer) standing in for a service the gateway calls,
 * such as an SMS gateway: it records every request and answers with the status the test sets (200 by default).
 */
public final class RecordingHttpEndpoint implements AutoCloseable {
    /** One request as it arrived. */
    public record Request(String method, String path, String contentType, String authorization, String body) {
    }

    private final HttpServer server;
    private final String path;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);

    private RecordingHttpEndpoint(String path, String okBody, String errorBody) throws IOException {
        this.path = path;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            int answer = status.get();
            byte[] body = (answer == 200 ? okBody : errorBody).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Serves {@code path}, answering {@code okBody} with 200 and {@code errorBody} with any other status. */
    public static RecordingHttpEndpoint start(String path, String okBody, String errorBody) throws IOException {
        return new RecordingHttpEndpoint(path, okBody, errorBody);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** From now on, answer with this HTTP status. */
    public void answerWith(int httpStatus) {
        status.set(httpStatus);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
