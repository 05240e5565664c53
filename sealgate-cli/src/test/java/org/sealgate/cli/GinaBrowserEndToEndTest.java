package org.sealgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.sealgate.gina.container.SecureMessagePage;

/**
 * GINA from end to end, as a newcomer meets it: {@code sealgate demo} with its portal; swaks sends a {@code [secure]}
 * mail with an attachment to a recipient without keys; the gateway's carrier mail lands in the demo's outbound
 * directory and Alice's first-password mail in the inbound one; headless Debian Chromium (Selenium with the local
 * chromedriver, paths given so nothing is downloaded) opens the extracted {@code secure-message.html}, registers
 * with that password, reads the message, downloads the attachment (byte-identical) and replies; the reply arrives
 * for Alice through the demo gateway. Screenshots: {@code target/gina-e2e/*.png}. Skipped when gina-jetty is not
 * packaged or Chromium is missing.
 */
class GinaBrowserEndToEndTest {
    private static final Path SHOTS = Path.of("target", "gina-e2e").toAbsolutePath();
    private static final Pattern FIRST_PASSWORD = Pattern.compile("(?m)^ {4}([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3})\\r?$");
    @TempDir
    Path work;
    private DemoWithPortal demo;
    private WebDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void newcomerShouldReadTheGatewaysGinaMailInABrowserAndReplySecurely() throws Exception {
        String classpath = DemoWithPortal.ginaClasspath();
        HeadlessChromium.require();
        demo = DemoWithPortal.start(work, classpath);
        Path data = demo.data();
        demo.awaitSmtp();

        byte[] figures = new byte[40_000];
        new Random(5).nextBytes(figures);
        Path attachment = Files.write(work.resolve("figures.bin"), figures);
        swaks(demo.smtpPort(), "--from alice@demo.sealgate.test --to erin@newcomer.example --header 'Subject: [secure] contract'"
            + " --body 'The contract, for Erin only' --attach " + attachment);

        MimeMessage carrier = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
            .until(() -> mails(data.resolve("mail/outbound")).stream().filter(m -> part(m, SecureMessagePage.FILE_NAME) != null)
                .findFirst(), Optional::isPresent).orElseThrow();
        Path page = Files.write(work.resolve(SecureMessagePage.FILE_NAME), decoded(part(carrier, SecureMessagePage.FILE_NAME)));
        assertThat(Files.readString(page)).contains("https://127.0.0.1:" + demo.portalPort() + "/open");
        String firstPassword = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> demo.inbound().stream().map(FIRST_PASSWORD::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).findFirst(), Optional::isPresent).orElseThrow();

        Path downloads = Files.createDirectories(work.resolve("downloads"));
        browser = HeadlessChromium.start(Optional.of(downloads), work.resolve("chromedriver.log"));
        browser.get(page.toUri().toString());
        screenshot("01-secure-message");
        click("open");
        assertThat(awaitText("title", "Register")).isEqualTo("Register to read your secure message");
        screenshot("02-register");
        type("first-password", firstPassword);
        type("new-password", "erin's own long password");
        type("new-password2", "erin's own long password");
        click("register");
        assertThat(awaitText("title", "contract")).isEqualTo("contract");
        assertThat(browser.findElement(By.id("body")).getText()).contains("The contract, for Erin only");
        screenshot("03-message");

        click("attachment-0");
        Path downloaded = downloads.resolve("figures.bin");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> Files.exists(downloaded) && Files.size(downloaded) == figures.length);
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(figures);

        click("reply");
        assertThat(awaitText("recipients", "alice@")).isEqualTo("alice@demo.sealgate.test");
        type("reply-body", "Signed and returned, thank you.");
        screenshot("04-compose");
        click("send");
        awaitText("notice", "alice@demo.sealgate.test");
        screenshot("05-sent");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> demo.inbound().stream()
                .anyMatch(text -> text.contains("Subject: Re: contract") && text.contains("Signed and returned, thank you.")));
        assertThat(Files.readString(data.resolve("audit/audit.jsonl"))).contains("\"outcome\":\"gina-first-contact\"")
            .doesNotContain(firstPassword);
    }

    private void click(String id) {
        browser.findElement(By.id(id)).click();
    }

    private void type(String id, String text) {
        browser.findElement(By.id(id)).sendKeys(text);
    }

    private String awaitText(String id, String expected) {
        return HeadlessChromium.awaitText(browser, id, expected);
    }

    private void screenshot(String name) throws IOException {
        HeadlessChromium.screenshot(browser, SHOTS, name);
    }

    private void swaks(int port, String arguments) throws Exception {
        Process swaks = new ProcessBuilder("bash", "-c", "swaks --server 127.0.0.1:" + port + " " + arguments)
            .redirectErrorStream(true).start();
        String out = new String(swaks.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(swaks.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(swaks.exitValue()).as(out).isZero();
    }

    private static List<MimeMessage> mails(Path directory) throws Exception {
        List<MimeMessage> mails = new ArrayList<>();
        for (Path file : DemoWithPortal.emls(directory)) {
            mails.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(Files.readAllBytes(file))));
        }
        return mails;
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
}
