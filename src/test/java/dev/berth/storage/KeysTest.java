package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeysTest {

    /** The grammar as first written; the hand-written check must agree with it. */
    private static final Pattern GRAMMAR = Pattern.compile("(/[A-Za-z0-9._-]+)+");

    private static boolean reference(String key) {
        return GRAMMAR.matcher(key).matches() && !key.contains("/../") && !key.endsWith("/..")
                && !key.contains("/./") && !key.endsWith("/.");
    }

    private static boolean accepted(String key) {
        try {
            Keys.check(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void acceptsLayoutKeysAndRefusesTraversal() {
        assertThat(Keys.check("/docker/registry/v2/blobs/sha256/ab/abcd/data")).isNotNull();
        assertThat(Keys.check("/a/..b/.c/d..")).isNotNull();
        for (String bad : List.of("", "/", "a/b", "/a//b", "/a/", "/a/../b", "/a/..", "/./a", "/a/.", "/a b", "/ä")) {
            assertThatThrownBy(() -> Keys.check(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void agreesWithTheGrammarOnRandomKeys() {
        SplittableRandom random = new SplittableRandom(11);
        String alphabet = "/./a_-Z9 %";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(1, 9);
            for (int j = 0; j < length; j++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(accepted(key.toString())).as(key.toString()).isEqualTo(reference(key.toString()));
        }
    }
}
