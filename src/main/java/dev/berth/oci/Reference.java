package dev.berth.oci;

/** What follows {@code /manifests/} in a URL: a tag or a digest. */
public sealed interface Reference permits Tag, Digest {

    static Reference parse(String text) {
        return text.indexOf(':') >= 0 ? Digest.parse(text) : Tag.parse(text);
    }
}
