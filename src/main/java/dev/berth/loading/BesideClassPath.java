package dev.berth.loading;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Loads code that needs jars Berth ships beside its class path, in {@code lib/NAME} next to its own jar: the S3
 * driver's AWS SDK, the TLS code's Bouncy Castle and Jetty's HTTP/2. Every start's service lookups (SLF4J's,
 * Logback's, Jetty's) open every jar on the class path and read its directory of entries into the heap, so jars
 * that only some configurations use would cost every server start-up time and resident memory
 * (docs/performance-changes.md, changes 77 and 78).
 *
 * <p>The classes it owns are defined by its own class loader from Berth's jar (or classes directory) and those
 * jars, so that they see the jars; every other class comes from the application's loader first, so that both sides
 * share Berth's other types, and the jars' classes too where they are on the class path already (in the tests; for
 * S3 when the launcher puts the SDK there for its start-up cache). An owned class's nested classes are owned with
 * it: from the application's loader they would be in another run-time package, out of reach of its package-private
 * members. A library that is never on the class path at run time may be owned too: each of its classes is then
 * looked for in a few jars, not first in all of the class path's (Bouncy Castle's 160 classes of a TLS start), and
 * from the application's loader only where those jars are not beside it (the tests).
 */
public final class BesideClassPath {

    private BesideClassPath() {
    }

    /**
     * A new {@code implementation} (a public class with a public no-argument constructor) as a {@code type}, defined
     * with every class {@code owned} names (a class, or a package when it ends with a dot) beside the jars of
     * {@code lib/directory}.
     */
    public static <T> T create(Class<T> type, String implementation, String directory, String... owned)
            throws ReflectiveOperationException, IOException {
        Class<?> loaded = Class.forName(implementation, true, new OwnedFirst(directory, urls(directory), owned,
                BesideClassPath.class.getClassLoader()));
        return type.cast(loaded.getDeclaredConstructor().newInstance());
    }

    /**
     * {@link #create}, at the first {@code get()} of what this returns and never again; {@code failure} turns what
     * stopped it (a jar missing from {@code lib/directory}, say) into the exception that {@code get()} throws.
     */
    public static <T> Supplier<T> once(Class<T> type, String implementation, String directory,
                                       Function<Throwable, ? extends RuntimeException> failure, String... owned) {
        return new Supplier<>() {
            private T loaded;

            @Override
            public synchronized T get() {
                if (loaded == null) {
                    try {
                        loaded = create(type, implementation, directory, owned);
                    } catch (ReflectiveOperationException | IOException | LinkageError e) {
                        throw failure.apply(e);
                    }
                }
                return loaded;
            }
        };
    }

    /** Berth's own classes (where this one comes from), then the jars of {@code lib/directory} beside them. */
    private static URL[] urls(String directory) throws IOException {
        try {
            Path code = Path.of(BesideClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<URL> urls = new ArrayList<>(List.of(code.toUri().toURL()));
            Path jars = code.resolveSibling("lib").resolve(directory);
            if (Files.isDirectory(jars)) {
                try (Stream<Path> files = Files.list(jars)) {
                    for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(jar.toUri().toURL());
                    }
                }
            }
            return urls.toArray(URL[]::new);
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IOException("cannot name the jars of lib/" + directory + ": " + e.getMessage(), e);
        }
    }

    private static final class OwnedFirst extends URLClassLoader {

        private final String[] owned;

        OwnedFirst(String directory, URL[] urls, String[] owned, ClassLoader parent) {
            super("berth-" + directory, urls, parent);
            this.owned = owned.clone();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!owns(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException elsewhere) {
                        // a library class where the jars are on the class path only (the tests)
                        return super.loadClass(name, resolve);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private boolean owns(String name) {
            for (String prefix : owned) {
                if (prefix.endsWith(".") ? name.startsWith(prefix)
                        : name.equals(prefix) || name.startsWith(prefix + "$")) {
                    return true;
                }
            }
            return false;
        }
    }
}
