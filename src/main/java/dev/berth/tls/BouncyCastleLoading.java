package dev.berth.tls;

import dev.berth.loading.BesideClassPath;
import java.util.function.Supplier;

/** The {@link X509Toolkit} of {@code dev.berth.tls.bc}, loaded beside Bouncy Castle's jars at its first use. */
final class BouncyCastleLoading {

    static final Supplier<X509Toolkit> TOOLKIT = BesideClassPath.once(X509Toolkit.class,
            "dev.berth.tls.bc.BouncyCastleToolkit", "tls",
            e -> new TlsException("cannot load Bouncy Castle (lib/tls beside berth.jar): " + e, e),
            "dev.berth.tls.bc.", "org.bouncycastle.");

    private BouncyCastleLoading() {
    }
}
