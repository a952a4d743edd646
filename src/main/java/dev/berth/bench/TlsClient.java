package dev.berth.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS for a registry served over {@code https}: the server's certificate checked against the JDK's trusted CAs or a
 * given bundle, and its name against the host the URL names, as docker and curl check them; or, asked for
 * explicitly, nothing checked at all ({@code curl --insecure}). Thread-safe.
 */
public final class TlsClient {

    private final SSLContext context;
    private final boolean verify;

    private TlsClient(SSLContext context, boolean verify) {
        this.context = context;
        this.verify = verify;
    }

    /** Trusting the JDK's CAs. */
    public static TlsClient trustingTheSystem() throws GeneralSecurityException {
        return new TlsClient(SSLContext.getDefault(), true);
    }

    /** Trusting the CAs of a PEM bundle, and no others. */
    public static TlsClient trusting(Path bundle) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> authorities;
        try (InputStream in = Files.newInputStream(bundle)) {
            authorities = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (authorities.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + bundle);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int n = 0;
        for (Certificate authority : authorities) {
            store.setCertificateEntry("ca-" + n++, authority);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new TlsClient(context, true);
    }

    /** Checking neither the certificate nor the name: for a test registry's throwaway certificate only. */
    public static TlsClient insecure() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
        return new TlsClient(context, false);
    }

    /** A connected socket whose handshake is done, so that a failing one fails here and says why. */
    public SSLSocket connect(InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getHostString(),
                address.getPort());
        try {
            socket.setTcpNoDelay(true);
            if (verify) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
