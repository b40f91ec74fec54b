package dev.bastion.console;

import dev.bastion.api.Access;
import dev.bastion.api.AdminCall;
import dev.bastion.api.AdminRoutes;
import dev.bastion.api.Reply;
import dev.bastion.pipeline.ErrorCode;
import dev.bastion.pipeline.ProblemException;

import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /bastion/v1/metrics/history?window=15m|1h|6h|24h} ({@code metrics.read}): the dashboards' series from
 * {@link Telemetry}, in about a hundred points per window.
 */
record DashboardApi(Telemetry telemetry) {
    private static final Map<String, Window> WINDOWS = Map.of(
            "15m", new Window(Duration.ofMinutes(15), 90),
            "1h", new Window(Duration.ofHours(1), 120),
            "6h", new Window(Duration.ofHours(6), 72),
            "24h", new Window(Duration.ofHours(24), 96));

    private record Window(Duration length, int points) {}

    void register(AdminRoutes routes) {
        routes.get("/bastion/v1/metrics/history", Access.to("metrics.read"), this::history);
    }

    private Reply history(AdminCall call) {
        String w = call.query("window").orElse("1h");
        Window window = WINDOWS.get(w);
        if (window == null) {
            throw new ProblemException(ErrorCode.INVALID_FIELD.problem("window must be one of 15m, 1h, 6h, 24h", "window"));
        }
        return Reply.ok(telemetry.window(window.length(), window.points()));
    }
}
