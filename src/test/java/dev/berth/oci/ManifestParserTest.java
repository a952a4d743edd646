package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String LAYER = "sha256:" + "d".repeat(64);
    private static final String SUBJECT = "sha256:" + "e".repeat(64);

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static String image(String mediaTypeField) {
        return "{'schemaVersion':2," + mediaTypeField
                + "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'" + CONFIG + "','size':2},"
                + "'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':'" + LAYER
                + "','size':10,'urls':['https://example.com/l']}],"
                + "'subject':{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':'" + SUBJECT
                + "','size':5},'annotations':{'k':'v'}}";
    }

    @Test
    void readsAnImageManifestsReferences() {
        Manifest m = ManifestParser.parse(bytes(image("'mediaType':'application/vnd.oci.image.manifest.v1+json',")),
                MediaType.OCI_MANIFEST);
        assertThat(m.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(m.config().orElseThrow().digest().toString()).isEqualTo(CONFIG);
        assertThat(m.layers()).singleElement().satisfies(l -> {
            assertThat(l.digest().toString()).isEqualTo(LAYER);
            assertThat(l.urls()).containsExactly("https://example.com/l");
        });
        assertThat(m.subject().orElseThrow().digest().toString()).isEqualTo(SUBJECT);
        assertThat(m.annotations()).containsEntry("k", "v");
        assertThat(m.effectiveArtifactType()).contains("application/vnd.oci.image.config.v1+json");
    }

    @Test
    void takesTheTypeFromContentTypeOrShapeWhenTheBodyHasNone() {
        assertThat(ManifestParser.parse(bytes(image("")), MediaType.DOCKER_MANIFEST).mediaType())
                .isEqualTo(MediaType.DOCKER_MANIFEST);
        assertThat(ManifestParser.parse(bytes(image("")), "application/json").mediaType())
                .isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(ManifestParser.parse(bytes("{'schemaVersion':2,'manifests':[]}"), "").mediaType())
                .isEqualTo(MediaType.OCI_INDEX);
    }

    @Test
    void readsAnIndexsChildren() {
        Manifest m = ManifestParser.parse(bytes("{'schemaVersion':2,'mediaType':'"
                + MediaType.DOCKER_MANIFEST_LIST + "','manifests':[{'mediaType':'" + MediaType.DOCKER_MANIFEST
                + "','digest':'" + LAYER + "','size':7,'platform':{'os':'linux','architecture':'arm64'}}]}"), "");
        assertThat(m.isIndex()).isTrue();
        assertThat(m.manifests()).extracting(d -> d.digest().toString()).containsExactly(LAYER);
    }

    @Test
    void refusesSchema1WithAClearMessage() {
        assertThatThrownBy(() -> ManifestParser.parse(bytes("{'schemaVersion':1,'name':'a','tag':'b','fsLayers':[]}"),
                MediaType.DOCKER_SCHEMA1_SIGNED))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("schema 1");
    }

    @Test
    void refusesAContentTypeThatContradictsTheBody() {
        assertThatThrownBy(() -> ManifestParser.parse(
                bytes(image("'mediaType':'application/vnd.oci.image.manifest.v1+json',")), MediaType.OCI_INDEX))
                .isInstanceOf(InvalidManifestException.class);
    }

    @Test
    void refusesMalformedManifests() {
        for (String body : new String[] {"not json", "[]", "{}", "{'schemaVersion':3}",
                "{'schemaVersion':2,'mediaType':'text/plain'}",
                "{'schemaVersion':2,'config':{'mediaType':'x','digest':'sha256:zz','size':1},'layers':[]}",
                "{'schemaVersion':2,'config':{'mediaType':'x','digest':'" + CONFIG + "','size':-1},'layers':[]}",
                "{'schemaVersion':2,'layers':[]}"}) {
            assertThatThrownBy(() -> ManifestParser.parse(bytes(body), ""))
                    .as(body).isInstanceOf(InvalidManifestException.class);
        }
    }

    /** The bytes are served as pushed, so what clients' JSON decoders refuse is refused at the push. */
    @Test
    void refusesBytesThatClientsCannotDecodeAsOneUtf8JsonValue() {
        String valid = image("'mediaType':'application/vnd.oci.image.manifest.v1+json',").replace('\'', '"');
        assertThat(ManifestParser.parse((valid + " \n").getBytes(StandardCharsets.UTF_8), "").layers()).hasSize(1);
        Map<String, byte[]> refused = new LinkedHashMap<>();
        refused.put("trailing text", (valid + " garbage").getBytes(StandardCharsets.UTF_8));
        refused.put("a second value", (valid + "{}").getBytes(StandardCharsets.UTF_8));
        refused.put("a trailing bracket", (valid + "]").getBytes(StandardCharsets.UTF_8));
        refused.put("a trailing zero byte", (valid + "\0").getBytes(StandardCharsets.UTF_8));
        refused.put("a byte order mark", ("\uFEFF" + valid).getBytes(StandardCharsets.UTF_8));
        refused.put("UTF-16LE", valid.getBytes(StandardCharsets.UTF_16LE));
        refused.put("UTF-16 with its mark", valid.getBytes(StandardCharsets.UTF_16));
        refused.put("UTF-32BE", valid.getBytes(java.nio.charset.Charset.forName("UTF-32BE")));
        refused.forEach((what, body) -> assertThatThrownBy(() -> ManifestParser.parse(body, MediaType.OCI_MANIFEST))
                .as(what).isInstanceOf(InvalidManifestException.class));
    }

    @Test
    void refusesAnnotationsAndUrlsThatAreNotStrings() {
        for (String[] swap : new String[][] {
                {"'annotations':{'k':'v'}", "'annotations':{'k':{'nested':'v'}}"},
                {"'annotations':{'k':'v'}", "'annotations':{'k':1}"},
                {"'annotations':{'k':'v'}", "'annotations':['k','v']"},
                {"'urls':['https://example.com/l']", "'urls':[7]"},
                {"'urls':['https://example.com/l']", "'urls':'https://example.com/l'"}}) {
            String body = image("").replace(swap[0], swap[1]);
            assertThat(body).as(swap[1]).contains(swap[1]);
            assertThatThrownBy(() -> ManifestParser.parse(bytes(body), MediaType.OCI_MANIFEST))
                    .as(swap[1]).isInstanceOf(InvalidManifestException.class);
        }
    }

    /** The referrers API falls back to the config's type when artifactType is "empty or missing". */
    @Test
    void takesAnEmptyArtifactTypeAsNone() {
        Manifest image = ManifestParser.parse(bytes(image("'artifactType':'',")), MediaType.OCI_MANIFEST);
        assertThat(image.artifactType()).isEmpty();
        assertThat(image.effectiveArtifactType()).contains("application/vnd.oci.image.config.v1+json");
        Manifest index = ManifestParser.parse(bytes("{'schemaVersion':2,'artifactType':'','manifests':[]}"), "");
        assertThat(index.effectiveArtifactType()).isEmpty();
        Manifest typed = ManifestParser.parse(bytes(image("'artifactType':'application/vnd.example+type',")), "");
        assertThat(typed.effectiveArtifactType()).contains("application/vnd.example+type");
    }

    /** Stored bytes were accepted when pushed, perhaps by another registry: their type is read leniently. */
    @Test
    void readsTheMediaTypeOfStoredBytesFromTheirTopLevelFields() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(image("'mediaType':'" + MediaType.DOCKER_MANIFEST + "',"), MediaType.DOCKER_MANIFEST);
        expected.put(image(""), MediaType.OCI_MANIFEST);
        expected.put("{'schemaVersion':2,'manifests':[]}", MediaType.OCI_INDEX);
        expected.put("{'schemaVersion':1,'name':'a','fsLayers':[]}", MediaType.DOCKER_SCHEMA1);
        expected.put("{'schemaVersion':'1','signatures':[{'header':{}}]}", MediaType.DOCKER_SCHEMA1_SIGNED);
        // the last of a repeated field counts; nested fields of the same name do not
        expected.put("{'mediaType':'" + MediaType.OCI_INDEX + "','mediaType':'" + MediaType.DOCKER_MANIFEST_LIST + "'}",
                MediaType.DOCKER_MANIFEST_LIST);
        expected.put("{'mediaType':'" + MediaType.OCI_INDEX + "','mediaType':2,'manifests':[]}", MediaType.OCI_INDEX);
        expected.put("{'config':{'mediaType':'" + MediaType.DOCKER_MANIFEST + "','schemaVersion':1},"
                + "'annotations':{'manifests':'x'}}", MediaType.OCI_MANIFEST);
        expected.put("{'annotations':{'padding':'" + "p".repeat(4 << 20) + "'},'mediaType':'" + MediaType.OCI_INDEX
                + "'}", MediaType.OCI_INDEX);
        // not a manifest at all: served as the default type
        expected.put("{'mediaType':'" + MediaType.OCI_INDEX + "',", MediaType.OCI_MANIFEST);
        expected.put("['mediaType']", MediaType.OCI_MANIFEST);
        expected.put("", MediaType.OCI_MANIFEST);
        expected.forEach((body, type) -> assertThat(ManifestParser.storedMediaType(bytes(body)))
                .as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(type));
    }
}
