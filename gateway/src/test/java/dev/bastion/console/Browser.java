package dev.bastion.console;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.awaitility.Awaitility.await;

/**
 * Debian's headless Chromium driven through its chromedriver (no browser download, no network: a fresh profile and
 * every background service off). Collects the browser console so tests can fail on Content-Security-Policy or
 * Trusted Types violations and script errors; saves screenshots under {@code target/console-screenshots}.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    final ChromeDriver driver;
    private final Path profile;
    private final List<String> log = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() throws IOException {
        Path profile = Files.createTempDirectory("bastion-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(System.getProperty("bastion.chromium", "/usr/bin/chromium"));
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--disable-default-apps", "--disable-extensions", "--window-size=1366,900",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("bastion.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new Browser(driver, profile);
    }

    /** Opens a page and waits until its scripts say it is interactive. */
    void open(String url) {
        driver.get(url);
        awaitReady();
    }

    void awaitReady() {
        await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(25)).ignoreExceptions()
                .until(() -> "1".equals(driver.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    /** Signs in through the console's API-key form at {@code base} and waits for the overview. */
    void signInWithKey(String base, String key) {
        open(base + "/console/login");
        find("#api-key").sendKeys(key);
        find("#key-signin").click();
        await().atMost(20, TimeUnit.SECONDS).ignoreExceptions().until(() -> find("#principal").isDisplayed());
        awaitReady();
    }

    WebElement find(String css) { return driver.findElement(By.cssSelector(css)); }

    List<WebElement> all(String css) { return driver.findElements(By.cssSelector(css)); }

    String text(String css) { return find(css).getText(); }

    WebDriver.Navigation navigate() { return driver.navigate(); }

    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Everything the browser console said since the last call. */
    List<String> drainLog() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) log.add(e.getLevel() + " " + e.getMessage());
        List<String> out = List.copyOf(log);
        log.clear();
        return out;
    }

    /** Lines that mean a page broke its own policy: CSP or Trusted Types refusals, uncaught script errors. */
    static List<String> violations(List<String> lines) {
        return lines.stream().filter(l -> l.contains("Content Security Policy") || l.contains("Trusted Type")
                || l.contains("Refused to") || l.contains("Uncaught")).toList();
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile: best effort
        }
    }
}
