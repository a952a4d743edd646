package dev.berth.cli;

import dev.berth.gc.Deletion;
import dev.berth.gc.GcListener;
import dev.berth.gc.GcReport;
import java.io.PrintStream;
import java.time.Duration;

/**
 * What {@code garbage-collect} prints: each deletion on stdout, flushed with the progress line; on stderr, a
 * progress line at most every {@link #PROGRESS_EVERY} so that a long run shows it is alive; a summary at the end.
 * Give it a buffered {@code out}: a write per deletion cost more than the deletion's own bookkeeping. Not
 * thread-safe.
 */
final class GcOutput implements GcListener {

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final PrintStream out;
    private final PrintStream err;
    private final boolean dryRun;
    private final boolean quiet;
    private long lastProgress = System.nanoTime();

    GcOutput(PrintStream out, PrintStream err, boolean dryRun, boolean quiet) {
        this.out = out;
        this.err = err;
        this.dryRun = dryRun;
        this.quiet = quiet;
    }

    @Override
    public void progress(String phase, long done) {
        long now = System.nanoTime();
        if (!quiet && now - lastProgress >= PROGRESS_EVERY.toNanos()) {
            lastProgress = now;
            out.flush();
            err.printf("garbage-collect: %s, %d %s examined%n", phase, done,
                    phase.equals("mark") ? "repositories" : "blobs");
        }
    }

    @Override
    public void deleted(Deletion deletion) {
        if (quiet) {
            return;
        }
        String what = switch (deletion) {
            case Deletion.Blob blob -> "blob " + blob.digest() + " (" + blob.size() + " bytes)";
            case Deletion.Manifest manifest -> "manifest " + manifest.repository() + "@" + manifest.digest();
        };
        out.println(dryRun ? what + " eligible for deletion" : "deleted " + what);
    }

    void summary(GcReport report) {
        out.println(report.summary());
        out.flush();
    }

    /** Writes out the deletions printed so far, as when a run fails part-way. */
    void flush() {
        out.flush();
    }
}
