package dev.bastion.bench.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bastion's Prometheus exposition at one moment, for histogram deltas over a benchmark phase. */
record MetricsSnapshot(List<String> lines) {
    private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{(.*)le=\"([^\"]+)\"\\} (\\S+)$");

    static MetricsSnapshot scrape(HttpClient http, URI base) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("GET /metrics: " + r.statusCode());
        return new MetricsSnapshot(r.body().lines().toList());
    }

    /** The cumulative buckets of histogram {@code name}, summed over every series whose labels contain {@code filter}. */
    Histogram histogram(String name, String filter) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : lines) {
            Matcher m = BUCKET.matcher(line);
            if (!m.matches() || !m.group(1).equals(name) || !m.group(2).contains(filter)) continue;
            double le = m.group(3).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(3));
            buckets.merge(le, Double.parseDouble(m.group(4)), Double::sum);
        }
        return new Histogram(buckets);
    }
}
