package dev.berth.tls;

import dev.berth.loading.BesideClassPath;
import java.io.IOException;

/** Loads the {@link X509Toolkit} of {@code dev.berth.tls.bc} beside Bouncy Castle's jars, once. */
final class BouncyCastleLoading {

    private static final String TOOLKIT = "dev.berth.tls.bc.BouncyCastleToolkit";

    private static X509Toolkit loaded;

    private BouncyCastleLoading() {
    }

    static synchronized X509Toolkit toolkit() {
        if (loaded == null) {
            try {
                loaded = BesideClassPath.create(X509Toolkit.class, TOOLKIT, "tls", "dev.berth.tls.bc.",
                        "org.bouncycastle.");
            } catch (ReflectiveOperationException | IOException | LinkageError e) {
                throw new TlsException("cannot load Bouncy Castle (lib/tls beside berth.jar): " + e, e);
            }
        }
        return loaded;
    }
}
