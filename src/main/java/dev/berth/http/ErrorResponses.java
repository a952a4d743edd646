package dev.berth.http;

import dev.berth.api.ApiException;
import dev.berth.api.Bodies;
import dev.berth.api.ErrorCode;
import dev.berth.api.Headers;
import dev.berth.api.MethodNotAllowedException;
import dev.berth.api.UnsatisfiableRangeException;
import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.oci.InvalidDigestException;
import dev.berth.oci.InvalidManifestException;
import dev.berth.oci.InvalidNameException;
import dev.berth.oci.InvalidTagException;
import dev.berth.oci.InvalidValueException;
import dev.berth.registry.BlobUnknownException;
import dev.berth.registry.BlobUploadInvalidException;
import dev.berth.registry.BlobUploadUnknownException;
import dev.berth.registry.DeleteDisabledException;
import dev.berth.registry.DigestMismatchException;
import dev.berth.registry.ManifestBlobUnknownException;
import dev.berth.registry.ManifestRejectedException;
import dev.berth.registry.ManifestTooLargeException;
import dev.berth.registry.ManifestUnknownException;
import dev.berth.registry.NameUnknownException;
import dev.berth.registry.RegistryException;
import dev.berth.registry.UploadOutOfOrderException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The one translation of failures into the wire's error codes. */
final class ErrorResponses {

    private static final String JSON = "application/json; charset=utf-8";

    private ErrorResponses() {
    }

    /** The code for a failure the client caused; empty for a failure of the server itself. */
    static Optional<ErrorCode> codeOf(Throwable failure) {
        return Optional.ofNullable(switch (failure) {
            case RegistryException e -> codeOf(e);
            case ApiException e -> e.code();
            case AuthenticationRequiredException e -> ErrorCode.UNAUTHORIZED;
            case AccessDeniedException e -> ErrorCode.DENIED;
            case InvalidNameException e -> ErrorCode.NAME_INVALID;
            case InvalidTagException e -> ErrorCode.TAG_INVALID;
            case InvalidDigestException e -> ErrorCode.DIGEST_INVALID;
            case InvalidManifestException e -> ErrorCode.MANIFEST_INVALID;
            // the only other value in a path is an upload id: one that cannot exist is unknown
            case InvalidValueException e -> ErrorCode.BLOB_UPLOAD_UNKNOWN;
            default -> null;
        });
    }

    private static ErrorCode codeOf(RegistryException failure) {
        return switch (failure) {
            case BlobUnknownException e -> ErrorCode.BLOB_UNKNOWN;
            case BlobUploadUnknownException e -> ErrorCode.BLOB_UPLOAD_UNKNOWN;
            case BlobUploadInvalidException e -> ErrorCode.BLOB_UPLOAD_INVALID;
            case DigestMismatchException e -> ErrorCode.DIGEST_INVALID;
            case ManifestUnknownException e -> ErrorCode.MANIFEST_UNKNOWN;
            case ManifestBlobUnknownException e -> ErrorCode.MANIFEST_BLOB_UNKNOWN;
            case ManifestRejectedException e -> ErrorCode.MANIFEST_INVALID;
            case ManifestTooLargeException e -> ErrorCode.MANIFEST_TOO_LARGE;
            case NameUnknownException e -> ErrorCode.NAME_UNKNOWN;
            case DeleteDisabledException e -> ErrorCode.UNSUPPORTED;
            case UploadOutOfOrderException e -> ErrorCode.RANGE_INVALID;
        };
    }

    /** Writes the envelope for {@code code}, with the headers that go with some failures. */
    static void write(Exchange exchange, ErrorCode code, Throwable failure) {
        if (failure instanceof UnsatisfiableRangeException range) {
            exchange.header("Content-Range", "bytes */" + range.size());
        } else if (failure instanceof AuthenticationRequiredException unauthorized) {
            exchange.header("WWW-Authenticate", unauthorized.challenge());
        } else if (failure instanceof UploadOutOfOrderException outOfOrder) {
            UploadHandler.describe(exchange, outOfOrder.status());
        } else if (failure instanceof MethodNotAllowedException notAllowed) {
            exchange.header("Allow", notAllowed.allowed());
        }
        String detail = code == ErrorCode.UNKNOWN ? null : failure.getMessage();
        exchange.send(code.status(), JSON, Bodies.error(code, detail));
    }

    /**
     * Writes the envelope for {@code code}, with the API version header, on a response given outside any
     * {@link Exchange} (Jetty's own errors, failing health checks); the caller has set the status.
     */
    static void write(Response response, ErrorCode code, String detail, Callback callback) {
        response.getHeaders().put(Headers.API_VERSION, Headers.API_VERSION_VALUE);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(Bodies.error(code, detail)), callback);
    }
}
