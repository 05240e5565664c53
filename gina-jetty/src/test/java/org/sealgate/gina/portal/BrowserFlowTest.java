package org.sealgate.gina.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.mail.internet.MimeMessage;

import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.SmtpSink;

/**
 * A real browser (Debian's chromium + chromium-driver, headless, paths given explicitly so nothing is
 * downloaded) opens a secure-message.html sealed by gina-core, registers, reads, downloads the attachment,
 * replies securely (the reply arrives at an smtp-sink standing in for the gateway) and logs out.
 * Screenshots of each page: target/gina-browser/*.png.
 */
class BrowserFlowTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path OUT = Path.of("target", "gina-browser").toAbsolutePath();
    @TempDir
    Path dir;
    private TestingServer zooKeeper;
    private SmtpSink gateway;
    private PortalFixture portal;
    private WebDriver browser;
    private Path downloads;

    @BeforeEach
    void start() throws Exception {
        zooKeeper = new TestingServer(true);
        gateway = SmtpSink.onFreePort();
        // The production Argon2id parameters here: the browser flow is the realistic one.
        portal = PortalFixture.start(dir.resolve("portal"), zooKeeper.getConnectString(), gateway.port(),
            KeyRing.generate("g1"), KeyRing.generate("s1"), "argon2.memory-kib=65536\nargon2.iterations=3\n");
        Files.createDirectories(OUT);
        downloads = Files.createDirectories(dir.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1200,1000", "--no-first-run", "--disable-extensions");
        options.setAcceptInsecureCerts(true);   // the portal's self-signed demo certificate
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("safebrowsing.enabled", false);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        portal.close();
        gateway.close();
        zooKeeper.close();
    }

    @Test
    void recipientShouldReadAndReplyInARealBrowser() throws Exception {
        String carol = PortalFixture.CAROL;
        String first = portal.newAccount(carol);
        GinaContainer container = portal.seal(TestMime.standard(carol), carol);
        Path page = dir.resolve("secure-message.html");
        Files.writeString(page, portal.page(container), StandardCharsets.UTF_8);

        browser.get(page.toUri().toString());
        screenshot("01-secure-message");
        browser.findElement(By.id("open")).click();
        awaitText(By.id("title"), "Register to read your secure message");
        screenshot("02-register");

        browser.findElement(By.id("first-password")).sendKeys(first);
        browser.findElement(By.id("new-password")).sendKeys("carol's own password");
        browser.findElement(By.id("new-password2")).sendKeys("carol's own password");
        browser.findElement(By.id("question")).sendKeys("First pet?");
        browser.findElement(By.id("answer")).sendKeys("Rex");
        browser.findElement(By.id("register")).click();
        awaitText(By.id("title"), "Quarterly figures");
        assertThat(browser.findElement(By.id("body")).getText()).contains("Hello Carol, the figures are attached.");
        assertThat(browser.getTitle()).isEqualTo("Quarterly figures");   // the message's script did not run
        screenshot("03-message");

        browser.findElement(By.id("attachment-0")).click();
        Path downloaded = downloads.resolve("figures.pdf");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> Files.exists(downloaded) && Files.size(downloaded) == TestMime.ATTACHMENT.length);
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(TestMime.ATTACHMENT);

        browser.findElement(By.id("reply")).click();
        awaitText(By.id("recipients"), PortalFixture.ALICE);
        browser.findElement(By.id("reply-body")).sendKeys("Thank you, Alice. Figures received.");
        Path answer = Files.write(dir.resolve("answer.txt"), "signed contract".getBytes(StandardCharsets.UTF_8));
        browser.findElement(By.id("reply-attachment")).sendKeys(answer.toString());
        screenshot("04-compose");
        browser.findElement(By.id("send")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), PortalFixture.ALICE));
        screenshot("05-sent");
        MimeMessage reply = gateway.awaitOne(PortalFixture.ALICE, "");
        assertThat(reply.getSubject()).isEqualTo("Re: Quarterly figures");
        assertThat(SmtpSink.text(reply)).contains("Thank you, Alice. Figures received.").contains("answer.txt");

        browser.findElement(By.id("logout")).click();
        awaitText(By.id("title"), "You are logged out");
        screenshot("06-logged-out");
        assertThat(browser.manage().getCookieNamed(Cookies.SESSION)).isNull();
        assertThat(portal.audit()).contains("\"event\":\"register\"").contains("\"event\":\"download\"")
            .contains("\"event\":\"reply\"").contains("\"event\":\"logout\"");
    }

    private void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, OUT.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** After a click the old page may still be in place: wait for the new one instead of reading a stale element. */
    private void awaitText(By locator, String expected) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(locator, expected));
    }
}
