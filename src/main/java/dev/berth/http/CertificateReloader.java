package dev.berth.http;

import dev.berth.tls.TlsException;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the certificate, key and client CAs of a {@link TlsOptions} into the TLS context, and again whenever the
 * files' contents change: new connections get the new certificate, open ones keep theirs. Files that change but do
 * not load (a certificate written before its key, say) leave the previous material in use, with one warning per
 * state. Checked by one virtual thread while the server runs, and only by it.
 */
final class CertificateReloader extends AbstractLifeCycle {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

    private final SslContextFactory.Server context;
    private final TlsOptions options;
    private String seen;
    private Thread watcher;

    /** Loads the files into {@code context} now, failing with a {@link TlsException} when they cannot be used. */
    CertificateReloader(SslContextFactory.Server context, TlsOptions options) {
        this.context = context;
        this.options = options;
        this.seen = TlsMaterial.fingerprint(options);
        TlsMaterial.read(options).applyTo(context);
    }

    @Override
    protected void doStart() {
        watcher = Thread.ofVirtual().name("berth-tls-reload").start(this::watch);
    }

    @Override
    protected void doStop() throws InterruptedException {
        watcher.interrupt();
        watcher.join();
    }

    private void watch() {
        while (true) {
            try {
                Thread.sleep(options.reloadInterval());
            } catch (InterruptedException stopping) {
                return;
            }
            reloadIfChanged();
        }
    }

    /** Reloads when the files' contents differ from the last ones seen. */
    private void reloadIfChanged() {
        String current = TlsMaterial.fingerprint(options);
        if (current.equals(seen)) {
            return;
        }
        seen = current;
        try {
            TlsMaterial material = TlsMaterial.read(options);
            context.reload(reloaded -> material.applyTo((SslContextFactory.Server) reloaded));
            LOG.info("TLS certificate reloaded from {}: {}, valid until {}", options.certificate(),
                    material.certificate().getSubjectX500Principal().getName(),
                    material.certificate().getNotAfter().toInstant());
        } catch (TlsException e) {
            LOG.warn("the TLS files changed but cannot be used, so the previous certificate stays in use: {}",
                    e.getMessage());
        } catch (Exception e) {
            LOG.error("reloading the TLS context failed", e);
        }
    }
}
