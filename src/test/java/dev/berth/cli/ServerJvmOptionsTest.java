package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    @Test
    void everyMethodKeptFromInliningExists() throws Exception {
        Matcher m = Pattern.compile("dontinline,([\\w.]+)::(\\w+)").matcher(launcher());
        int named = 0;
        while (m.find()) {
            named++;
            String method = m.group(2);
            assertThat(Arrays.stream(Class.forName(m.group(1)).getDeclaredMethods()).map(Method::getName))
                    .as("%s::%s", m.group(1), method).contains(method);
        }
        assertThat(named).isPositive();
    }
}
