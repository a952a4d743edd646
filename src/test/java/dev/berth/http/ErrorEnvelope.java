package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Asserts the spec's error envelope, {@code {"errors":[{"code":...,"message":...,"detail":...}]}} (OCI
 * distribution spec, "Error Codes"): the status, a JSON content type, and exactly one error with the expected
 * code and a message.
 */
final class ErrorEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorEnvelope() {
    }

    static void assertError(HttpResponse<byte[]> response, int status, String code) {
        assertError(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), status, code);
        assertThat(response.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
    }

    static void assertError(RawHttp.Response response, int status, String code) {
        assertError(response.status(), response.header("Content-Type").orElse(""), response.body(), status, code);
    }

    private static void assertError(int actualStatus, String contentType, byte[] body, int status, String code) {
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(actualStatus).as("status of response %s", text).isEqualTo(status);
        assertThat(contentType).as("Content-Type of an error").startsWith("application/json");
        JsonNode root = parse(body);
        assertThat(root.isObject()).as("envelope %s", text).isTrue();
        assertThat(root.properties().stream().map(Map.Entry::getKey).toList()).as("envelope %s", text)
                .containsExactly("errors");
        JsonNode errors = root.get("errors");
        assertThat(errors.isArray() && errors.size() == 1).as("one error in %s", text).isTrue();
        JsonNode error = errors.get(0);
        assertThat(error.properties().stream().map(Map.Entry::getKey).toList()).as("error fields in %s", text)
                .contains("code", "message")
                .isSubsetOf(List.of("code", "message", "detail"));
        assertThat(error.get("code").isTextual()).isTrue();
        assertThat(error.get("code").asText()).as("code in %s", text).isEqualTo(code);
        assertThat(error.get("message").isTextual()).isTrue();
        assertThat(error.get("message").asText()).as("message in %s", text).isNotBlank();
    }

    /** The code of the first error in an envelope, to check against a set of acceptable ones. */
    static String code(byte[] body) {
        return parse(body).path("errors").path(0).path("code").asText();
    }

    /** The detail of the first error in an envelope; empty when it has none. */
    static String detail(byte[] body) {
        return parse(body).path("errors").path(0).path("detail").asText();
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("error body is not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }
}
