package dev.berth.bench;

import java.util.List;

/** What one workload measured, or why it measured nothing. Only requests that passed every check count. */
public sealed interface Result {

    String workload();

    /** Bytes moved per second (MB = 10^6 bytes), from the first request to the last answer. */
    record Throughput(String workload, long bytes, double seconds) implements Result {
        public double megabytesPerSecond() {
            return bytes / seconds / 1e6;
        }
    }

    /** Requests answered correctly per second, with latency percentiles; failed requests are counted apart. */
    record Rate(String workload, long requests, double seconds, double p50Millis, double p99Millis, long failures,
                List<String> errors) implements Result {
        public Rate {
            errors = List.copyOf(errors);
        }

        public double perSecond() {
            return requests / seconds;
        }
    }

    /** How long a fixed amount of work took. */
    record WallTime(String workload, long requests, double seconds) implements Result {
    }

    /** The workload could not be measured: a request failed a check, or the registry could not be reached. */
    record Failed(String workload, String reason) implements Result {
    }

    /** Whether every request of the workload passed. */
    default boolean passed() {
        return switch (this) {
            case Failed f -> false;
            case Rate r -> r.failures() == 0;
            case Throughput t -> true;
            case WallTime w -> true;
        };
    }
}
