package org.sealgate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sealgate.testing.Prerequisites;

/**
 * Debian's chromium, headless, driven by the local chromedriver (paths given, so Selenium downloads nothing); it
 * accepts the self-signed demo/test certificates of the portal and the console. Missing, the test is skipped (fails
 * under CI).
 */
public final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the test (fails it under CI) unless chromium and chromedriver are installed. */
    public static void require() {
        Prerequisites.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "Debian chromium and chromium-driver are not installed");
    }

    /** A browser that saves downloads, if given a directory, without asking; chromedriver logs to {@code driverLog}. */
    public static WebDriver start(Optional<Path> downloads, Path driverLog) {
        require();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1200,1000", "--no-first-run", "--disable-extensions");
        options.setAcceptInsecureCerts(true);
        downloads.ifPresent(directory -> {
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", directory.toString());
            prefs.put("download.prompt_for_download", false);
            prefs.put("safebrowsing.enabled", false);
            options.setExperimentalOption("prefs", prefs);
        });
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().withLogFile(driverLog.toFile()).build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** Saves what the browser shows as {@code directory/name.png}. */
    public static void screenshot(WebDriver browser, Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * The text of the element with this id once it contains {@code expected}: after a click the old page may still be
     * in place, or its elements already gone, so wait for the next page instead of reading a stale element.
     */
    public static String awaitText(WebDriver browser, String id, String expected) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
            .until(driver -> {
                String text = driver.findElement(By.id(id)).getText();
                return text.contains(expected) ? text : null;
            });
    }
}
