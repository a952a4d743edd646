package dev.berth.cli;

import dev.berth.config.ConfigException;
import dev.berth.config.S3Settings;
import dev.berth.storage.StorageDriver;
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
import java.util.stream.Stream;

/**
 * Loads the S3 driver and the AWS SDK it runs on in a class loader of their own, from {@code lib/s3} beside the jar,
 * only when the configuration asks for S3. On the jar's class path those 30-odd jars would be opened by every
 * start's service lookups (SLF4J's, Jetty's), costing a registry on the filesystem 1.5 MiB of resident memory for a
 * driver it does not use. Where the SDK is on the class path already, it is used from there: in the tests, and when
 * the launcher puts it there for a configuration that names S3, so that the start-up cache can hold its classes.
 */
final class S3Loading {

    private static final String WIRING = "dev.berth.cli.S3Wiring";

    private S3Loading() {
    }

    @SuppressWarnings("unchecked")
    static StorageDriver open(S3Settings settings) {
        try {
            Class<?> wiring = Class.forName(WIRING, true, loader());
            return ((Function<S3Settings, StorageDriver>) wiring.getDeclaredConstructor().newInstance())
                    .apply(settings);
        } catch (ReflectiveOperationException | IOException | URISyntaxException | LinkageError e) {
            throw new ConfigException("storage.s3", "cannot load the S3 driver (lib/s3 beside berth.jar): " + e);
        }
    }

    /** Berth's own classes, then the jars of {@code lib/s3}; the driver's classes are taken from here first. */
    private static ClassLoader loader() throws IOException, URISyntaxException {
        Path code = Path.of(S3Loading.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<URL> urls = new ArrayList<>(List.of(code.toUri().toURL()));
        Path jars = code.resolveSibling("lib").resolve("s3");
        if (Files.isDirectory(jars)) {
            try (Stream<Path> files = Files.list(jars)) {
                for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            } catch (MalformedURLException e) {
                throw new IOException(e);
            }
        }
        return new DriverFirst(urls.toArray(URL[]::new), S3Loading.class.getClassLoader());
    }

    /**
     * Defines the driver's classes itself rather than asking its parent, which would define them too, where the SDK
     * they refer to is not found; every other class comes from the parent, so that both share Berth's types. The
     * wiring's nested classes (the compiler's, for a switch on an enum) are defined here with it: from the parent,
     * they would be in another run-time package, out of reach of its package-private access.
     */
    private static final class DriverFirst extends URLClassLoader {
        DriverFirst(URL[] urls, ClassLoader parent) {
            super("berth-s3", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(WIRING) && !name.startsWith(WIRING + "$") && !name.startsWith("dev.berth.storage.s3.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
