package dev.bastion.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The headless browser for measurements made outside this package (page weight, time to interactive). */
public final class BrowserHarness implements AutoCloseable {
    private final Browser browser;

    private BrowserHarness(Browser browser) { this.browser = browser; }

    public static BrowserHarness start() throws IOException { return new BrowserHarness(Browser.start()); }

    public void signInWithKey(String base, String key) { browser.signInWithKey(base, key); }

    /**
     * Loads {@code url} and reports, from the browser's own Performance API: milliseconds from navigation start until
     * the page marked itself interactive ({@code console-ready}), and the bytes of the page and everything it fetched.
     */
    public Map<String, Object> measure(String url) {
        browser.open(url);
        Object r = browser.driver.executeScript("""
                const nav = performance.getEntriesByType('navigation')[0];
                const res = performance.getEntriesByType('resource');
                const sum = (k) => res.reduce((n, e) => n + (e[k] || 0), nav[k] || 0);
                return {ready_ms: performance.getEntriesByName('console-ready')[0].startTime,
                        transfer_bytes: sum('transferSize'), decoded_bytes: sum('decodedBodySize'), requests: res.length + 1};
                """);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) r);
        if (!Browser.violations(browser.drainLog()).isEmpty()) throw new IllegalStateException("the page broke its CSP");
        return m;
    }

    /** Rows the audit explorer shows. */
    public int rows() { return browser.all("#entries tbody tr").size(); }

    @Override
    public void close() { browser.close(); }
}
