package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "library/ubuntu", "xiaofei/nginx-base", "a.b_c__d--e/f0", "a/b/c/d/e", "0"})
    void acceptsRepositoryNamesOfTheGrammar(String name) {
        assertThat(RepositoryName.parse(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "Library/ubuntu", "../etc", "a/../b", "a//b", "/a", "a/", "a/.", "-a", "a-",
            "a..b", "a___b", "a b", "a/b%2f", "_catalog", "a.-b", "a_-b", "a-.b", "a./b", "a/-b", "a__",
            "a.", "a---", "a\nb"})
    void rejectsRepositoryNamesOutsideTheGrammar(String name) {
        assertThatThrownBy(() -> RepositoryName.parse(name)).isInstanceOf(InvalidNameException.class);
    }

    /** Every string of up to 7 characters over an alphabet of each kind of character, against the spec's regex. */
    @Test
    void acceptsExactlyTheNamesOfTheSpecsGrammar() {
        String component = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
        Pattern grammar = Pattern.compile(component + "(?:/" + component + ")*");
        char[] alphabet = {'a', '0', '.', '_', '-', '/', 'A'};
        int checked = 0;
        for (int length = 1; length <= 7; length++) {
            char[] name = new char[length];
            for (int n = 0; n < Math.pow(alphabet.length, length); n++) {
                for (int i = 0, rest = n; i < length; i++, rest /= alphabet.length) {
                    name[i] = alphabet[rest % alphabet.length];
                }
                String value = new String(name);
                boolean accepted;
                try {
                    accepted = RepositoryName.parse(value).value().equals(value);
                } catch (InvalidNameException e) {
                    accepted = false;
                }
                assertThat(accepted).as(value).isEqualTo(grammar.matcher(value).matches());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(960_799);
    }

    /** Error messages go back to the client: a 70 KB value is cut, with its length. */
    @Test
    void cutsLongInvalidValuesInMessages() {
        String value = "x".repeat(70_000) + "!";
        for (Runnable parse : List.<Runnable>of(() -> Tag.parse(value), () -> RepositoryName.parse(value),
                () -> Digest.parse("sha256:" + value), () -> Digest.parse(value))) {
            assertThatThrownBy(parse::run).isInstanceOf(InvalidValueException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("characters)"));
        }
        assertThatThrownBy(() -> Tag.parse("bad tag")).hasMessage("invalid tag: bad tag");
    }

    @Test
    void limitsRepositoryNamesTo255Characters() {
        assertThat(RepositoryName.parse("a".repeat(255)).value()).hasSize(255);
        assertThatThrownBy(() -> RepositoryName.parse("a".repeat(256))).isInstanceOf(InvalidNameException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "v1.0.0", "_x", "A-b_c.D", "a"})
    void acceptsTags(String tag) {
        assertThat(Tag.parse(tag).value()).isEqualTo(tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "-x", "a/b", "..", "a:b", "ü"})
    void rejectsTagsOutsideTheGrammar(String tag) {
        assertThatThrownBy(() -> Tag.parse(tag)).isInstanceOf(InvalidTagException.class);
    }

    @Test
    void limitsTagsTo128Characters() {
        assertThat(Tag.parse("a".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> Tag.parse("a".repeat(129))).isInstanceOf(InvalidTagException.class);
    }

    @Test
    void tellsDigestReferencesFromTags() {
        assertThat(Reference.parse("v1")).isEqualTo(new Tag("v1"));
        assertThat(Reference.parse("sha256:" + "b".repeat(64))).isInstanceOf(Digest.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", "", ".x"})
    void rejectsUploadIdsThatCouldEscapeTheirDirectory(String id) {
        assertThatThrownBy(() -> new UploadId(id)).isInstanceOf(InvalidValueException.class);
    }
}
