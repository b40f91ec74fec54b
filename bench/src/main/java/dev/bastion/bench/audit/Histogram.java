package dev.bastion.bench.audit;

import java.util.Map;
import java.util.TreeMap;

/** Cumulative histogram buckets (upper bound in seconds → count), as Prometheus exposes them. */
record Histogram(TreeMap<Double, Double> buckets) {
    Histogram minus(Histogram earlier) {
        TreeMap<Double, Double> d = new TreeMap<>();
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            d.put(e.getKey(), e.getValue() - earlier.buckets.getOrDefault(e.getKey(), 0.0));
        }
        return new Histogram(d);
    }

    long count() {
        return buckets.isEmpty() ? 0 : Math.round(buckets.lastEntry().getValue());
    }

    /** Like Prometheus' histogram_quantile: linear interpolation inside the bucket that holds the quantile. */
    double quantile(double q) {
        double total = count();
        if (total == 0) return Double.NaN;
        double rank = q * total;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey().isInfinite()) return lower;
                double inBucket = e.getValue() - below;
                return inBucket <= 0 ? e.getKey() : lower + (e.getKey() - lower) * (rank - below) / inBucket;
            }
            lower = e.getKey();
            below = e.getValue();
        }
        return lower;
    }

    /** The upper bound of the bucket holding quantile {@code q}: the quantile is at most this. */
    double bucketBound(double q) {
        double rank = q * count();
        for (Map.Entry<Double, Double> e : buckets.entrySet()) if (e.getValue() >= rank) return e.getKey();
        return Double.NaN;
    }
}
