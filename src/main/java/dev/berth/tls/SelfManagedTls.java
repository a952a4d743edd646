package dev.berth.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Berth's self-managed TLS: a local CA made once, and a server certificate it issues for the configured hosts,
 * kept in one directory:
 * <pre>
 * ca.crt       the CA's certificate, the one clients trust (docker: /etc/docker/certs.d/HOST:PORT/ca.crt)
 * ca.key       its private key, mode 0600
 * server.crt   the server's certificate, then the CA's
 * server.key   its private key, mode 0600
 * </pre>
 * The server certificate is issued again when it is missing or unusable, names other hosts, was issued by another
 * CA, or has less than {@link #RENEWAL} left. The CA is made only when {@code ca.crt} does not exist: clients trust it.
 *
 * @param directory         where the four files are
 * @param authority         the CA's certificate
 * @param certificate       the server's certificate
 * @param createdAuthority  whether {@link #prepare} made the CA
 * @param issuedCertificate whether {@link #prepare} issued the server certificate
 */
public record SelfManagedTls(Path directory, X509Certificate authority, X509Certificate certificate,
                             boolean createdAuthority, boolean issuedCertificate) {

    static final Duration RENEWAL = Duration.ofDays(30);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    /** Makes whatever is missing or stale, and reports what there is. */
    public static SelfManagedTls prepare(Path directory, List<String> hosts, Instant now) {
        createDirectory(directory);
        Path authorityFile = directory.resolve("ca.crt");
        boolean createAuthority = !Files.exists(authorityFile);
        CertificateAuthority authority;
        if (createAuthority) {
            authority = CertificateAuthority.create("Berth local CA for " + hosts.getFirst(), now);
            // the certificate last: a key without it is a CA nobody can have trusted yet, and is replaced
            writeKey(directory.resolve("ca.key"), authority.certifiedKey());
            writeCertificates(authorityFile, authority.certificate());
        } else {
            authority = new CertificateAuthority(CertifiedKey.read(authorityFile, directory.resolve("ca.key")));
        }
        Path certificateFile = directory.resolve("server.crt");
        Path keyFile = directory.resolve("server.key");
        Optional<CertifiedKey> current = usable(certificateFile, keyFile, authority, hosts, now);
        CertifiedKey server = current.orElseGet(() -> {
            CertifiedKey issued = authority.issueServerCertificate(hosts, now);
            writeKey(keyFile, issued);
            writeCertificates(certificateFile, issued.chain().toArray(X509Certificate[]::new));
            return issued;
        });
        return new SelfManagedTls(directory, authority.certificate(), server.certificate(), createAuthority,
                current.isEmpty());
    }

    public Path authorityFile() {
        return directory.resolve("ca.crt");
    }

    public Path certificateFile() {
        return directory.resolve("server.crt");
    }

    public Path keyFile() {
        return directory.resolve("server.key");
    }

    /** The CA certificate in PEM, as served at {@code /ca.crt}. */
    public String authorityPem() {
        return pem(authority);
    }

    /** The SHA-256 fingerprint of the CA certificate, as {@code openssl x509 -noout -fingerprint -sha256} shows it. */
    public String authorityFingerprint() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(authority.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot fingerprint the CA certificate: " + e.getMessage(), e);
        }
    }

    private static Optional<CertifiedKey> usable(Path certificate, Path key, CertificateAuthority authority,
                                                 List<String> hosts, Instant now) {
        if (!Files.exists(certificate) || !Files.exists(key)) {
            return Optional.empty();
        }
        CertifiedKey current;
        try {
            current = CertifiedKey.read(certificate, key);
        } catch (TlsException unusable) {
            // half written when the server stopped, or edited by hand: a new one is issued in its place
            return Optional.empty();
        }
        X509Certificate leaf = current.certificate();
        boolean fresh = leaf.getNotAfter().toInstant().isAfter(now.plus(RENEWAL));
        return fresh && authority.issued(leaf) && normalized(hosts).equals(alternativeNames(leaf))
                ? Optional.of(current) : Optional.empty();
    }

    private static Set<String> alternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? Set.of()
                    : normalized(names.stream().map(name -> String.valueOf(name.get(1))).toList());
        } catch (CertificateParsingException e) {
            return Set.of();
        }
    }

    /** Names in lower case, addresses in one spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} are the same). */
    private static Set<String> normalized(List<String> hosts) {
        return hosts.stream().map(host -> CertificateAuthority.isIpLiteral(host)
                ? InetAddress.ofLiteral(host).getHostAddress()
                : host.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory.toAbsolutePath().getParent());
            if (!Files.isDirectory(directory)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new TlsException(directory + ": cannot create the directory: " + e.getMessage(), e);
        }
    }

    private static void writeKey(Path file, CertifiedKey key) {
        write(file, PemFiles.encode("PRIVATE KEY", key.key().getEncoded()), PRIVATE);
    }

    private static void writeCertificates(Path file, X509Certificate... certificates) {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            text.append(pem(certificate));
        }
        write(file, text.toString(), PUBLIC);
    }

    /** Through a synced temporary file renamed over the target, so that a crash leaves the old file or the new. */
    private static void write(Path file, String text, Set<PosixFilePermission> mode) {
        Path temp = null;
        try {
            temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PRIVATE));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TlsException(file + ": cannot write: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // a stray temporary file is harmless; the write itself has already succeeded or failed
        }
    }

    private static String pem(X509Certificate certificate) {
        try {
            return PemFiles.encode("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot encode the certificate: " + e.getMessage(), e);
        }
    }
}
