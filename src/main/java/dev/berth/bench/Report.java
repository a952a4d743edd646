package dev.berth.bench;

import java.util.List;
import java.util.Locale;

/** The results of a run as a table for people or as JSON for scripts (bench/compare.sh). */
public final class Report {

    private Report() {
    }

    public static String table(List<Result> results) {
        int width = results.stream().mapToInt(r -> r.workload().length()).max().orElse(8);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", "workload", "result"));
        for (Result result : results) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s  %s%n", result.workload(), describe(result)));
        }
        return out.toString();
    }

    static String describe(Result result) {
        return switch (result) {
            case Result.Throughput t -> String.format(Locale.ROOT, "%,.0f MB/s (%s in %.3f s)",
                    t.megabytesPerSecond(), size(t.bytes()), t.seconds());
            case Result.Rate r -> String.format(Locale.ROOT, "%,.0f req/s, p50 %.2f ms, p99 %.2f ms (%,d requests%s)",
                    r.perSecond(), r.p50Millis(), r.p99Millis(), r.requests(),
                    r.failures() == 0 ? "" : "; " + r.failures() + " FAILED, first: " + r.errors().getFirst());
            case Result.WallTime w -> String.format(Locale.ROOT, "%.3f s (%,d requests)", w.seconds(), w.requests());
            case Result.Failed f -> "FAILED: " + f.reason();
        };
    }

    /** A JSON array with one object per result; numbers in the units their keys name. */
    public static String json(List<Result> results) {
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            out.append("  ").append(json(results.get(i))).append(i + 1 < results.size() ? ",\n" : "\n");
        }
        return out.append("]\n").toString();
    }

    static String json(Result result) {
        String head = "{\"workload\":" + quote(result.workload()) + ",\"passed\":" + result.passed();
        return head + switch (result) {
            case Result.Throughput t -> String.format(Locale.ROOT, ",\"mb_per_s\":%.1f,\"bytes\":%d,\"seconds\":%.4f}",
                    t.megabytesPerSecond(), t.bytes(), t.seconds());
            case Result.Rate r -> String.format(Locale.ROOT,
                    ",\"req_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"requests\":%d,\"failures\":%d,\"errors\":%s}",
                    r.perSecond(), r.p50Millis(), r.p99Millis(), r.requests(), r.failures(),
                    r.errors().stream().map(Report::quote).toList());
            case Result.WallTime w -> String.format(Locale.ROOT, ",\"seconds\":%.4f,\"requests\":%d}", w.seconds(),
                    w.requests());
            case Result.Failed f -> ",\"error\":" + quote(f.reason()) + "}";
        };
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A byte count in the largest binary unit that divides it, e.g. {@code 1 GiB}, {@code 64 MiB}. */
    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + " KiB";
        }
        return bytes + " B";
    }
}
