package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestReferencesTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(String type, String digest) {
        return "{'mediaType':'" + type + "','digest':'" + digest + "','size':1}";
    }

    @Test
    void namesTheConfigLayersAndSubjectOfAnImage() {
        ManifestReferences refs = ManifestReferences.of(bytes("{'schemaVersion':2,'mediaType':'"
                + MediaType.OCI_MANIFEST + "','config':" + descriptor("application/json", A) + ",'layers':["
                + descriptor("application/x", B) + "],'subject':" + descriptor(MediaType.OCI_MANIFEST, C) + "}"));
        assertThat(refs.blobs()).containsExactly(Digest.parse(A), Digest.parse(B));
        assertThat(refs.manifests()).isEmpty();
        assertThat(refs.subject()).contains(Digest.parse(C));
    }

    @Test
    void namesTheChildrenOfAnIndex() {
        ManifestReferences refs = ManifestReferences.of(bytes("{'schemaVersion':2,'mediaType':'"
                + MediaType.OCI_INDEX + "','manifests':[" + descriptor(MediaType.OCI_MANIFEST, A) + "]}"));
        assertThat(refs.manifests()).containsExactly(Digest.parse(A));
        assertThat(refs.blobs()).isEmpty();
    }

    @Test
    void namesTheLayersOfASchema1ManifestDistributionStored() {
        ManifestReferences refs = ManifestReferences.of(bytes(
                "{'schemaVersion':1,'name':'x','tag':'v1','fsLayers':[{'blobSum':'" + A + "'},{'blobSum':'" + B
                        + "'}],'signatures':[]}"));
        assertThat(refs.blobs()).containsExactly(Digest.parse(A), Digest.parse(B));
    }

    @Test
    void refusesWhatIsNoManifest() {
        assertThatThrownBy(() -> ManifestReferences.of(bytes("not json"))).isInstanceOf(InvalidManifestException.class);
        assertThatThrownBy(() -> ManifestReferences.of(bytes("{'schemaVersion':2}")))
                .isInstanceOf(InvalidManifestException.class);
    }
}
