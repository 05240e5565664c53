package org.sealgate.zk.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls one node's admin endpoint with the cluster admin token ({@link ClusterAdminToken}): held mail (list, show,
 * release, delete) and {@code /metrics}. Every call is bounded (connect 2 s, answer {@link #TIMEOUT}, at most
 * {@link #MAX_BYTES} read) and never follows redirects; the caller's name goes along for the node's audit trail.
 */
public final class NodeAdminClient {
    public static final String CALLER_HEADER = "X-Sealgate-Caller";
    static final int MAX_BYTES = 1024 * 1024;
    private static final Duration CONNECT = Duration.ofSeconds(2);
    /** A release waits while the node re-injects the mail into its pipeline. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One held mail as a node lists it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeldItem(@JsonProperty("id") String id, @JsonProperty("held-at") String heldAt,
                           @JsonProperty("reason") String reason, @JsonProperty("sender") String sender,
                           @JsonProperty("recipients") List<String> recipients, @JsonProperty("subject") String subject) {
        public HeldItem {
            recipients = recipients == null ? List.of() : List.copyOf(recipients);
        }
    }

    /** A node's held mail: the mails it can open, and ids with why they cannot be read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeldListing(@JsonProperty("node") String node, @JsonProperty("mails") List<HeldItem> mails,
                              @JsonProperty("unreadable") Map<String, String> unreadable) {
        public HeldListing {
            mails = mails == null ? List.of() : List.copyOf(mails);
            unreadable = unreadable == null ? Map.of() : Map.copyOf(unreadable);
        }
    }

    /** What a node answered to a release or delete: {@code released}, {@code not-released}, {@code deleted}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActionResult(@JsonProperty("outcome") String outcome, @JsonProperty("message") String message) {
    }

    /** The node answered with an error status (401, 404, ...); {@link #status()} says which. */
    public static final class NodeAnswerException extends IOException {
        private final int status;

        public NodeAnswerException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final String token;
    private final String caller;
    private final HttpClient http;

    /**
     * @param token  the cluster admin token (never logged)
     * @param caller who acts, for the node's audit trail, e.g. {@code console:ops} or {@code cli:root}
     */
    public NodeAdminClient(String token, String caller) {
        this.token = token;
        this.caller = caller;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HeldListing heldList(String adminAddress) throws IOException, InterruptedException {
        return JSON.readValue(call(adminAddress, "GET", "/held"), HeldListing.class);
    }

    /** The held mail's envelope and headers as text (never its body). */
    public String heldShow(String adminAddress, String id) throws IOException, InterruptedException {
        return new String(call(adminAddress, "GET", "/held/" + checkedId(id)), StandardCharsets.UTF_8);
    }

    public ActionResult release(String adminAddress, String id) throws IOException, InterruptedException {
        return JSON.readValue(call(adminAddress, "POST", "/held/" + checkedId(id) + "/release"), ActionResult.class);
    }

    public ActionResult delete(String adminAddress, String id) throws IOException, InterruptedException {
        return JSON.readValue(call(adminAddress, "POST", "/held/" + checkedId(id) + "/delete"), ActionResult.class);
    }

    /** The node's Prometheus text (no token needed, none sent). */
    public String metrics(String adminAddress) throws IOException, InterruptedException {
        return new String(send(adminAddress, "GET", "/metrics", false), StandardCharsets.UTF_8);
    }

    private byte[] call(String adminAddress, String method, String path) throws IOException, InterruptedException {
        return send(adminAddress, method, path, true);
    }

    private byte[] send(String adminAddress, String method, String path, boolean authenticated)
        throws IOException, InterruptedException {
        if (adminAddress == null || !HOST_PORT.matcher(adminAddress).matches()) {
            throw new IOException("not an admin address (HOST:PORT): " + adminAddress);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + adminAddress + path)).timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (authenticated) {
            request.header("Authorization", "Bearer " + token).header(CALLER_HEADER, caller);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BYTES);
        }
        if (response.statusCode() != 200) {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
            throw new NodeAnswerException(adminAddress + " answered " + response.statusCode() + ": " + text, response.statusCode());
        }
        return body;
    }

    private static String checkedId(String id) {
        if (id == null || !id.matches("[0-9a-f]{24}")) {
            throw new IllegalArgumentException("not a held mail id: " + id);
        }
        return id;
    }
}
