package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JVM options the launcher ({@code ./berth}) and the image ({@code image/berth}) start the server with. */
class ServerJvmOptionsTest {

    private static String options(String script, Pattern pattern) throws IOException {
        Matcher m = pattern.matcher(Files.readString(Path.of(script)));
        assertThat(m.find()).as("the server's JVM options in %s", script).isTrue();
        return m.group(1);
    }

    private static String launcher() throws IOException {
        return options("berth", Pattern.compile("server_defaults=\"([^\"]+)\""));
    }

    private static String image() throws IOException {
        return options("image/berth", Pattern.compile("server_defaults=\"([^\"]+)\""));
    }

    @Test
    void theLauncherAndTheImageStartTheServerAlike() throws IOException {
        assertThat(image()).isEqualTo(launcher());
    }

    /** What the launcher's options name, found by {@code regex}: at least one. */
    private static List<MatchResult> named(String regex) throws IOException {
        List<MatchResult> found = Pattern.compile(regex).matcher(launcher()).results().toList();
        assertThat(found).as(regex).isNotEmpty();
        return found;
    }

    @Test
    void everyMethodKeptFromInliningExists() throws Exception {
        for (MatchResult m : named("dontinline,([\\w.]+)::(\\w+)")) {
            assertThat(Arrays.stream(Class.forName(m.group(1)).getDeclaredMethods()).map(Method::getName))
                    .as("%s::%s", m.group(1), m.group(2)).contains(m.group(2));
        }
    }

    /** A package renamed by the JDK or Jetty would leave its option silently without effect. */
    @Test
    void everyPackageCompiledSoonerExists() throws IOException {
        for (MatchResult m : named("CompileThresholdScaling,([\\w.]+)\\.\\*::\\*")) {
            String pkg = m.group(1);
            boolean inTheJdk = ModuleLayer.boot().modules().stream().anyMatch(mod -> mod.getPackages().contains(pkg));
            boolean onTheClassPath = ServerJvmOptionsTest.class.getClassLoader().getResource(pkg.replace('.', '/') + "/")
                    != null;
            assertThat(inTheJdk || onTheClassPath).as(pkg).isTrue();
        }
    }
}
