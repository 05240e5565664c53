package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.gina.container.SecureMessagePage;
import org.sealgate.testing.Prerequisites;

/**
 * GINA from end to end, as a newcomer meets it: {@code sealgate demo} with its portal; swaks sends a {@code [secure]}
 * mail with an attachment to a recipient without keys; the gateway's carrier mail lands in the demo's outbound
 * directory and Alice's first-password mail in the inbound one; headless Debian Chromium (local chromedriver, W3C
 * WebDriver) opens the extracted {@code secure-message.html}, registers with that password, reads the message,
 * downloads the attachment (byte-identical) and replies; the reply arrives for Alice through the demo gateway.
 * Screenshots: {@code target/gina-e2e/*.png}. Skipped when gina-jetty is not packaged or Chromium is missing.
 */
class GinaBrowserEndToEndTest {
    private static final Path GINA_TARGET = Path.of("..", "gina-jetty", "target").toAbsolutePath().normalize();
    private static final Path SHOTS = Path.of("target", "gina-e2e").toAbsolutePath();
    private static final Pattern FIRST_PASSWORD = Pattern.compile("(?m)^ {4}([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3})\\r?$");
    @TempDir
    Path work;
    private Process demo;
    private WebDriverClient browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            demo.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void newcomerShouldReadTheGatewaysGinaMailInABrowserAndReplySecurely() throws Exception {
        String classpath = ginaClasspath();
        Prerequisites.require(Files.isExecutable(WebDriverClient.CHROMIUM) && Files.isExecutable(WebDriverClient.CHROMEDRIVER),
            "Debian chromium and chromium-driver are not installed");
        Path data = work.resolve("demo");
        int smtp = freePort();
        demo = new ProcessBuilder(java(), "-Xmx512m", "-Dsealgate.gina.classpath=" + classpath,
            "-cp", System.getProperty("java.class.path"), "org.sealgate.cli.SealgateCli",
            "demo", "--data", data.toString(), "--smtp-port", Integer.toString(smtp))
            .redirectErrorStream(true).redirectOutput(work.resolve("demo.log").toFile()).start();
        Matcher portal = Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300))
            .until(() -> {
                if (!demo.isAlive()) {
                    throw new AssertionError("demo exited: " + Files.readString(work.resolve("demo.log")));
                }
                return Pattern.compile("GINA portal: https://127.0.0.1:(\\d+)").matcher(Files.readString(work.resolve("demo.log")));
            }, Matcher::find);
        int portalPort = Integer.parseInt(portal.group(1));
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> listening(smtp));

        byte[] figures = new byte[40_000];
        new Random(5).nextBytes(figures);
        Path attachment = Files.write(work.resolve("figures.bin"), figures);
        swaks(smtp, "--from alice@demo.sealgate.test --to erin@newcomer.example --header 'Subject: [secure] contract'"
            + " --body 'The contract, for Erin only' --attach " + attachment);

        MimeMessage carrier = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
            .until(() -> mails(data.resolve("mail/outbound")).stream().filter(m -> part(m, SecureMessagePage.FILE_NAME) != null)
                .findFirst(), Optional::isPresent).orElseThrow();
        Path page = Files.write(work.resolve(SecureMessagePage.FILE_NAME), decoded(part(carrier, SecureMessagePage.FILE_NAME)));
        assertThat(Files.readString(page)).contains("https://127.0.0.1:" + portalPort + "/open");
        String firstPassword = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> texts(data.resolve("mail/inbound")).stream().map(FIRST_PASSWORD::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).findFirst(), Optional::isPresent).orElseThrow();

        Path downloads = Files.createDirectories(work.resolve("downloads"));
        browser = WebDriverClient.start(downloads, work.resolve("chromedriver.log"));
        browser.open(page.toUri().toString());
        browser.screenshot(SHOTS.resolve("01-secure-message.png"));
        browser.click("open");
        assertThat(browser.awaitText("title", "Register")).isEqualTo("Register to read your secure message");
        browser.screenshot(SHOTS.resolve("02-register.png"));
        browser.type("first-password", firstPassword);
        browser.type("new-password", "erin's own long password");
        browser.type("new-password2", "erin's own long password");
        browser.click("register");
        assertThat(browser.awaitText("title", "contract")).isEqualTo("contract");
        assertThat(browser.text("body")).contains("The contract, for Erin only");
        browser.screenshot(SHOTS.resolve("03-message.png"));

        browser.click("attachment-0");
        Path downloaded = downloads.resolve("figures.bin");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> Files.exists(downloaded) && Files.size(downloaded) == figures.length);
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(figures);

        browser.click("reply");
        assertThat(browser.awaitText("recipients", "alice@")).isEqualTo("alice@demo.sealgate.test");
        browser.type("reply-body", "Signed and returned, thank you.");
        browser.screenshot(SHOTS.resolve("04-compose.png"));
        browser.click("send");
        browser.awaitText("notice", "alice@demo.sealgate.test");
        browser.screenshot(SHOTS.resolve("05-sent.png"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> texts(data.resolve("mail/inbound")).stream()
                .anyMatch(text -> text.contains("Subject: Re: contract") && text.contains("Signed and returned, thank you.")));
        assertThat(Files.readString(data.resolve("audit/audit.jsonl"))).contains("\"outcome\":\"gina-first-contact\"")
            .doesNotContain(firstPassword);
    }

    private void swaks(int port, String arguments) throws Exception {
        Process swaks = new ProcessBuilder("bash", "-c", "swaks --server 127.0.0.1:" + port + " " + arguments)
            .redirectErrorStream(true).start();
        String out = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(swaks.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(swaks.exitValue()).as(out).isZero();
    }

    private static List<MimeMessage> mails(Path directory) throws Exception {
        List<MimeMessage> mails = new java.util.ArrayList<>();
        for (Path file : emls(directory)) {
            mails.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(file))));
        }
        return mails;
    }

    private static List<String> texts(Path directory) throws IOException {
        List<String> texts = new java.util.ArrayList<>();
        for (Path file : emls(directory)) {
            texts.add(Files.readString(file, StandardCharsets.ISO_8859_1));
        }
        return texts;
    }

    private static List<Path> emls(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
    }

    private static Part part(Part part, String fileName) {
        try {
            if (fileName.equals(part.getFileName())) {
                return part;
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    Part found = part(child, fileName);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** A plain read loop: javax.mail 1.6's base64 stream ends early under readAllBytes(). */
    private static byte[] decoded(Part part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String ginaClasspath() throws IOException {
        Path lib = GINA_TARGET.resolve("lib");
        Path jar;
        try (Stream<Path> files = Files.exists(GINA_TARGET) ? Files.list(GINA_TARGET) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("gina-jetty-.*\\.jar")
                && !p.getFileName().toString().endsWith("-tests.jar")).findFirst().orElse(null);
        }
        Prerequisites.require(jar != null && Files.isDirectory(lib), "gina-jetty is not packaged in " + GINA_TARGET);
        return jar + java.io.File.pathSeparator + lib + "/*";
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
