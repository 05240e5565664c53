package org.sealgate.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Just enough of the W3C WebDriver protocol to drive Debian's headless Chromium through the local
 * {@code /usr/bin/chromedriver} (nothing is downloaded, no Selenium on the gateway's test classpath, where its
 * libraries would meet James's): open a URL, find by id, click, type, read text and title, take screenshots.
 */
final class WebDriverClient implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI session;

    private WebDriverClient(Process driver, URI session) {
        this.driver = driver;
        this.session = session;
    }

    /** Starts chromedriver on a free loopback port and a headless session that accepts the portal's demo certificate. */
    static WebDriverClient start(Path downloads, Path log) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(base.resolve("status")).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (JSON.readTree(status.body()).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !driver.isAlive()) {
                driver.destroyForcibly();
                throw new IllegalStateException("chromedriver did not start; see " + log);
            }
            Thread.sleep(200);
        }
        Map<String, Object> chrome = Map.of("binary", CHROMIUM.toString(),
            "args", List.of("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1200,1000", "--no-first-run", "--disable-extensions"),
            "prefs", Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false,
                "safebrowsing.enabled", false));
        Map<String, Object> capabilities = Map.of("capabilities", Map.of("alwaysMatch",
            Map.of("browserName", "chrome", "acceptInsecureCerts", true, "goog:chromeOptions", chrome)));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("session"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(capabilities))).build(),
            HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(created.body()).path("value");
        if (!value.has("sessionId")) {
            driver.destroyForcibly();
            throw new IllegalStateException("no WebDriver session: " + created.body());
        }
        WebDriverClient client = new WebDriverClient(driver, base.resolve("session/" + value.get("sessionId").asText() + "/"));
        client.call("POST", "timeouts", Map.of("implicit", 15_000, "pageLoad", 60_000));
        return client;
    }

    void open(String url) throws Exception {
        call("POST", "url", Map.of("url", url));
    }

    void click(String id) throws Exception {
        call("POST", "element/" + element(id) + "/click", Map.of());
    }

    void type(String id, String text) throws Exception {
        call("POST", "element/" + element(id) + "/value", Map.of("text", text));
    }

    String text(String id) throws Exception {
        return call("GET", "element/" + element(id) + "/text", null).asText();
    }

    /**
     * Waits until the element shows text containing {@code expected}: after a click the old page may still be in
     * place, or its elements already gone (stale).
     */
    String awaitText(String id, String expected) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .ignoreExceptions().until(() -> text(id), text -> text.contains(expected));
    }

    String title() throws Exception {
        return call("GET", "title", null).asText();
    }

    void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(call("GET", "screenshot", null).asText()));
    }

    private String element(String id) throws Exception {
        return call("POST", "element", Map.of("using", "css selector", "value", "#" + id)).get(ELEMENT).asText();
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(session.resolve(path)).timeout(Duration.ofSeconds(90));
        if ("GET".equals(method)) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "{}" : JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": HTTP " + response.statusCode() + " "
                + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    @Override
    public void close() {
        try {
            http.send(HttpRequest.newBuilder(session).timeout(Duration.ofSeconds(30)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            // the driver goes below anyway
        }
        driver.destroy();
        try {
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
