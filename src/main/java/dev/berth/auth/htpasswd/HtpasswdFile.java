package dev.berth.auth.htpasswd;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache htpasswd file of bcrypt entries, re-read when it changes (checked at most once a second).
 * Entries of other schemes ({SHA}, $apr1$, crypt) are refused with a warning naming the line, as distribution
 * accepts only bcrypt. Thread-safe: readers see one whole generation of entries.
 */
public final class HtpasswdFile {

    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final long RECHECK_MILLIS = 1000;

    private final Path path;
    private final Clock clock;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Generation current;
    private volatile long checkedAt;

    /** The entries as read at one moment, and what identified that version of the file. */
    record Generation(Map<String, byte[]> hashes, long modified, long size, long number) {
    }

    /** Reads the file now; a missing or unreadable file is an error. */
    public HtpasswdFile(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
        try {
            this.current = read(0);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the htpasswd file " + path + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("no permission to read the htpasswd file " + path, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the htpasswd file " + path + ": " + e.getMessage(), e);
        }
        this.checkedAt = clock.millis();
    }

    /** The bcrypt hash of {@code user}, from the file as it is now. */
    Optional<byte[]> hash(String user) {
        return Optional.ofNullable(generation().hashes().get(user));
    }

    /** Changes whenever the file's entries are re-read, so caches of verified credentials can be dropped. */
    long generationNumber() {
        return generation().number();
    }

    private Generation generation() {
        long now = clock.millis();
        if (now - checkedAt >= RECHECK_MILLIS && reloading.tryLock()) {
            try {
                checkedAt = now;
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                Generation seen = current;
                if (attributes.lastModifiedTime().toMillis() != seen.modified() || attributes.size() != seen.size()) {
                    current = read(seen.number() + 1);
                    LOG.info("re-read htpasswd file {}: {} users", path, current.hashes().size());
                }
            } catch (IOException e) {
                LOG.warn("cannot re-read htpasswd file {} ({}); keeping the users read before", path, e.getMessage());
            } finally {
                reloading.unlock();
            }
        }
        return current;
    }

    private Generation read(long number) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        Map<String, byte[]> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                LOG.warn("{} line {}: not of the form user:hash; skipped", path, i + 1);
                continue;
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!BCRYPT.matcher(hash).matches()) {
                LOG.warn("{} line {}: user {} has a {} entry; only bcrypt entries are accepted (htpasswd -B), skipped",
                        path, i + 1, user, scheme(hash));
                continue;
            }
            hashes.put(user, hash.getBytes(StandardCharsets.US_ASCII));
        }
        return new Generation(Map.copyOf(hashes), attributes.lastModifiedTime().toMillis(), attributes.size(), number);
    }

    private static String scheme(String hash) {
        if (hash.startsWith("{SHA}")) {
            return "SHA-1";
        }
        if (hash.startsWith("$apr1$")) {
            return "MD5 (apr1)";
        }
        if (hash.startsWith("$2")) {
            return "malformed bcrypt";
        }
        return "crypt or plain-text";
    }

    /** The file's lines with {@code user}'s entry replaced by {@code entry}, or {@code entry} appended. */
    public static List<String> withEntry(List<String> lines, String user, String entry) {
        List<String> result = new java.util.ArrayList<>(withoutUser(lines, user));
        int at = indexOf(lines, user);
        result.add(at < 0 ? result.size() : at, entry);
        return result;
    }

    /** The file's lines without {@code user}'s entry. */
    public static List<String> withoutUser(List<String> lines, String user) {
        return lines.stream().filter(line -> !line.startsWith(user + ":")).toList();
    }

    public static boolean hasUser(List<String> lines, String user) {
        return indexOf(lines, user) >= 0;
    }

    private static int indexOf(List<String> lines, String user) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(user + ":")) {
                return i;
            }
        }
        return -1;
    }

    /** Formats an entry as Apache's {@code htpasswd -B} does ({@code $2y$}). */
    public static String entry(String user, String password, int cost) {
        if (user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("user names cannot be empty or contain ':'");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new IllegalArgumentException("bcrypt passwords are limited to 72 bytes");
        }
        byte[] hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hash(cost, password.getBytes(StandardCharsets.UTF_8));
        return user + ":" + new String(hash, StandardCharsets.US_ASCII);
    }
}
