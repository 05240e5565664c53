package org.sealgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sealgate.testing.Prerequisites;
import org.sealgate.zk.store.ConfigStore;
import org.sealgate.zk.store.ZkTestSupport;

/**
 * A real browser (Debian's chromium + chromium-driver, headless, nothing downloaded) drives the console over HTTPS
 * against a real ZooKeeper: a non-admin is refused, the admin logs in with password and TOTP code, sees both nodes,
 * diffs configuration version 3 against 2 and rolls back to version 2, searches the audit trail and logs out.
 * Screenshots: target/console-browser/*.png.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path OUT = Path.of("target", "console-browser").toAbsolutePath();
    @TempDir
    Path dir;
    private ConsoleFixture console;
    private WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        Prerequisites.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "chromium and chromium-driver (Debian packages) for the browser test");
        console = ConsoleFixture.start(dir);
        Files.createDirectories(OUT);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1200,1000", "--no-first-run", "--disable-extensions");
        options.setAcceptInsecureCerts(true);   // the console's self-signed test certificate
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (console != null) {
                console.close();
            }
        }
    }

    @Test
    void anAdminShouldLogInWithTotpSeeTheNodesRollBackAConfigVersionAndSearchTheAudit() throws Exception {
        String base = "https://127.0.0.1:" + console.port();
        browser.get(base + "/");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");
        logIn("mallory", ConsoleFixture.PASSWORD, console.nextCode(0));
        assertThat(text("error")).isEqualTo(AuthFlow.FAILED);
        logIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, "");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");   // the form itself insists on a code
        logIn(ConsoleFixture.ADMIN, ConsoleFixture.PASSWORD, console.nextCode(0));
        screenshot("01-status");

        assertThat(text("title")).isEqualTo("Cluster status");
        assertThat(browser.findElements(By.cssSelector("#nodes .node-id")).stream().map(e -> e.getText()))
            .containsExactly("node-a", "node-b");
        assertThat(text("config-version")).isEqualTo("3");

        browser.findElement(By.id("nav-config")).click();
        assertThat(browser.findElement(By.id("version-3")).getText()).contains("cli-admin");
        browser.findElement(By.id("diff-3")).click();
        assertThat(text("diff")).contains("-    encrypt: required", "+    encrypt: off");
        browser.findElement(By.id("nav-config")).click();
        browser.findElement(By.id("diff-2")).click();
        assertThat(text("diff")).contains("-    encrypt: opportunistic", "+    encrypt: required");
        screenshot("02-diff");
        browser.findElement(By.id("rollback")).click();
        assertThat(text("notice")).contains("now configuration version 4");
        assertThat(browser.findElement(By.id("version-4")).getText()).contains("console:ops");
        screenshot("03-rolled-back");
        ConfigStore store = new ConfigStore(console.admin, ZkTestSupport.ACLS, "test");
        assertThat(store.show().orElseThrow().document()).isEqualTo(store.historyDocument(2));

        browser.findElement(By.id("nav-audit")).click();
        browser.findElement(By.id("recipient")).sendKeys("carol@partner");
        browser.findElement(By.id("from")).sendKeys("2026-12-06");
        browser.findElement(By.id("search")).click();
        assertThat(text("count")).isEqualTo("1 match(es)");
        assertThat(browser.findElement(By.cssSelector("#results .message-id")).getText()).isEqualTo("<m2@demo>");
        screenshot("04-audit");

        browser.findElement(By.id("nav-keys")).click();
        browser.findElement(By.id("key-text")).sendKeys(org.sealgate.testing.TestPki.aliceRsa().certificatePem());
        browser.findElement(By.id("key-import-submit")).click();
        assertThat(text("notice")).contains("Imported certificate for alice@");
        String fingerprint = org.sealgate.keys.Fingerprints.sha256(org.sealgate.testing.TestPki.aliceRsa().certificate());
        // The key store's cache catches up with ZooKeeper a moment later: the list shows it on a later view.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            browser.get(base + "/keys");
            return browser.findElements(By.cssSelector("#partners a.export")).stream().map(e -> e.getAttribute("href")).toList()
                .contains(base + "/keys/export?sha256=" + fingerprint);
        });
        screenshot("05-key-imported");

        browser.findElement(By.id("logout")).click();
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");
        browser.get(base + "/config");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");
        assertThat(console.audit()).contains("\"event\":\"config-rollback\"", "\"event\":\"audit-search\"", "\"event\":\"logout\"",
            "\"event\":\"key-import\"");
    }

    private void logIn(String name, String password, String code) {
        for (String[] field : new String[][] {{"name", name}, {"password", password}, {"code", code}}) {
            browser.findElement(By.id(field[0])).clear();
            browser.findElement(By.id(field[0])).sendKeys(field[1]);
        }
        browser.findElement(By.id("login")).click();
    }

    /**
     * The text of the element with this id, once the page that has it is in place: right after a click the next page
     * may not be loaded yet (the element is missing or the old one goes stale), so wait for it instead of failing.
     */
    private String text(String id) {
        return new WebDriverWait(browser, Duration.ofSeconds(30))
            .ignoring(NoSuchElementException.class).ignoring(StaleElementReferenceException.class)
            .until(driver -> driver.findElement(By.id(id)).getText());
    }

    private void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, OUT.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
