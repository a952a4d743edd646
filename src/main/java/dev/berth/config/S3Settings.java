package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * distribution's {@code storage.s3}: the registry's files as objects of an S3 bucket (AWS or any S3-compatible
 * service), named as distribution names them, so that one bucket can be served by either.
 *
 * @param regionEndpoint {@code regionendpoint}: an S3-compatible service instead of AWS's endpoint for the region
 * @param redirectEndpoint {@code redirectendpoint}: the endpoint the download URLs clients are sent to point at,
 *                       instead of the one the registry uses (a public or CDN endpoint beside an internal one)
 * @param pathStyle      bucket names go in the path, not the host name: {@code forcepathstyle}, which distribution
 *                       2.x also took for granted with a {@code regionendpoint}
 * @param credentials    {@code accesskey} and {@code secretkey}; without them, the AWS SDK's default chain
 *                       (environment, profile, instance role)
 * @param chunkSize      {@code chunksize}: the part size of multipart uploads, at least 5 MiB
 * @param rootDirectory  {@code rootdirectory}: the prefix of every object name, "" for the bucket's top
 * @param storageClass   {@code storageclass}; empty for {@code NONE}, the bucket's default
 * @param kmsKeyId       {@code keyid}, with {@code encrypt}
 * @param objectAcl      {@code objectacl}: the canned ACL sent with every object written; empty for none, which
 *                       is also what {@code private} (distribution's default) gives: S3 makes an object written
 *                       without an ACL private, and a bucket whose ACLs are disabled (AWS's default since 2023)
 *                       refuses every ACL sent but {@code bucket-owner-full-control}
 * @param dualStack      {@code usedualstack}, {@code accelerate}, {@code usefipsendpoint}: AWS's endpoints for IPv6
 *                       as well as IPv4, for S3 Transfer Acceleration, for FIPS 140
 * @param userAgent      {@code useragent}: added to the {@code User-Agent} of every request to S3
 * @param logLevel       {@code loglevel}: what the S3 client logs of its requests
 * @param redirect       blob downloads are sent to the bucket with a presigned URL, as distribution sends them,
 *                       unless {@code storage.redirect.disable}
 */
public record S3Settings(String region, Optional<URI> regionEndpoint, Optional<URI> redirectEndpoint, String bucket,
                         boolean pathStyle, boolean dualStack, boolean accelerate, boolean fips,
                         Optional<Credentials> credentials, boolean skipVerify, long chunkSize, String rootDirectory,
                         Optional<String> storageClass, boolean encrypt, Optional<String> kmsKeyId,
                         Optional<String> objectAcl, Optional<String> userAgent, LogLevel logLevel,
                         boolean redirect) {

    /**
     * distribution's {@code loglevel}, the levels of the AWS SDK for Go it names: each {@code debugwith...} adds
     * one kind of detail to {@code debug}'s line per request and response.
     */
    public enum LogLevel {
        OFF, DEBUG, DEBUG_WITH_SIGNING, DEBUG_WITH_HTTP_BODY, DEBUG_WITH_REQUEST_RETRIES, DEBUG_WITH_REQUEST_ERRORS,
        DEBUG_WITH_EVENT_STREAM_BODY;

        /** As the configuration spells it: {@code debugwithsigning}. */
        String word() {
            return name().replace("_", "").toLowerCase(Locale.ROOT);
        }

        /**
         * The level a configuration names, in any case as distribution reads it; none for a word it does not
         * know, which distribution takes as {@code off}.
         */
        static Optional<LogLevel> named(String word) {
            return Arrays.stream(values()).filter(level -> level.word().equals(word.toLowerCase(Locale.ROOT)))
                    .findFirst();
        }
    }

    /** The keys read here (distribution's {@code multipartcopy*} are accepted without effect: see ConfigLoader). */
    static final Set<String> KEYS = Set.of("storage.s3.region", "storage.s3.regionendpoint", "storage.s3.bucket",
            "storage.s3.forcepathstyle", "storage.s3.accesskey", "storage.s3.secretkey", "storage.s3.secure",
            "storage.s3.skipverify", "storage.s3.v4auth", "storage.s3.chunksize", "storage.s3.rootdirectory",
            "storage.s3.storageclass", "storage.s3.encrypt", "storage.s3.keyid", "storage.s3.objectacl",
            "storage.s3.redirectendpoint", "storage.s3.usedualstack", "storage.s3.accelerate",
            "storage.s3.usefipsendpoint", "storage.s3.useragent", "storage.s3.loglevel", "storage.redirect.disable");
    /** S3's canned ACLs, which {@code objectacl} takes, as distribution's driver does. */
    private static final Set<String> CANNED_ACLS = Set.of("private", "public-read", "public-read-write",
            "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control");
    static final long DEFAULT_CHUNK_SIZE = 10L << 20;
    static final long MIN_CHUNK_SIZE = 5L << 20;

    public record Credentials(String accessKey, String secretKey) {
        @Override
        public String toString() {
            return "Credentials[accessKey=" + accessKey + ", secretKey=<hidden>]";
        }
    }

    static S3Settings read(JsonNode tree, List<String> warnings) {
        String key = "storage.s3.";
        boolean secure = flag(tree, key + "secure").orElse(true);
        Optional<URI> endpoint = ConfigTree.text(tree, key + "regionendpoint").map(text -> endpoint(text, secure));
        Optional<String> accessKey = ConfigTree.text(tree, key + "accesskey");
        Optional<String> secretKey = ConfigTree.text(tree, key + "secretkey");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new ConfigException(accessKey.isPresent() ? key + "secretkey" : key + "accesskey",
                    "is required with " + (accessKey.isPresent() ? "accesskey" : "secretkey")
                            + " (or leave both out to use the AWS SDK's default credentials)");
        }
        if (!flag(tree, key + "v4auth").orElse(true)) {
            warnings.add("storage.s3.v4auth: false is ignored: Berth signs every request with AWS Signature "
                    + "Version 4, which every S3 region and S3-compatible service takes");
        }
        long chunkSize = ConfigTree.text(tree, key + "chunksize").map(text -> {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "chunksize", "expected a number of bytes, not " + text);
            }
        }).orElse(DEFAULT_CHUNK_SIZE);
        if (chunkSize < MIN_CHUNK_SIZE) {
            throw new ConfigException(key + "chunksize", "must be at least " + MIN_CHUNK_SIZE
                    + " (5 MiB, S3's smallest part), not " + chunkSize);
        }
        boolean encrypt = flag(tree, key + "encrypt").orElse(false);
        Optional<String> objectAcl = word(tree, key + "objectacl");
        objectAcl.filter(acl -> !CANNED_ACLS.contains(acl)).ifPresent(acl -> {
            throw new ConfigException(key + "objectacl", "expected one of S3's canned ACLs ("
                    + String.join(", ", new TreeSet<>(CANNED_ACLS)) + "), not " + acl);
        });
        Optional<URI> redirectEndpoint = ConfigTree.text(tree, key + "redirectendpoint").map(text -> {
            URI uri = ConfigTree.httpUrl(key + "redirectendpoint", text);
            if (!(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null) {
                throw new ConfigException(key + "redirectendpoint", "expected a scheme and a host (and port), "
                        + "without a path or query, not " + text);
            }
            return uri;
        });
        LogLevel logLevel = word(tree, key + "loglevel").map(text -> LogLevel.named(text).orElseGet(() -> {
            warnings.add("storage.s3.loglevel: " + text + " is not a level (" + Arrays.stream(LogLevel.values())
                    .map(LogLevel::word).collect(Collectors.joining(", ")) + "): the S3 client logs nothing, as "
                    + "distribution's does then");
            return LogLevel.OFF;
        })).orElse(LogLevel.OFF);
        return new S3Settings(ConfigTree.required(tree, key + "region"), endpoint, redirectEndpoint,
                ConfigTree.required(tree, key + "bucket"),
                flag(tree, key + "forcepathstyle").orElse(false) || endpoint.isPresent(),
                flag(tree, key + "usedualstack").orElse(false), flag(tree, key + "accelerate").orElse(false),
                flag(tree, key + "usefipsendpoint").orElse(false),
                accessKey.map(access -> new Credentials(access, secretKey.orElseThrow())),
                flag(tree, key + "skipverify").orElse(false), chunkSize,
                ConfigTree.text(tree, key + "rootdirectory").orElse(""),
                ConfigTree.text(tree, key + "storageclass").map(c -> c.toUpperCase(Locale.ROOT))
                        .filter(c -> !c.equals("NONE")),
                encrypt, ConfigTree.text(tree, key + "keyid").filter(id -> encrypt),
                objectAcl.filter(acl -> !acl.equals("private")),
                word(tree, key + "useragent"), logLevel,
                !ConfigTree.bool(tree, "storage.redirect.disable").orElse(false));
    }

    /** A value without the blanks around it; empty when there is none but blanks. */
    private static Optional<String> word(JsonNode tree, String key) {
        return ConfigTree.text(tree, key).map(String::strip).filter(text -> !text.isEmpty());
    }

    /** A boolean, which distribution's driver also takes written as text ({@code "true"}), as here. */
    private static Optional<Boolean> flag(JsonNode tree, String key) {
        return ConfigTree.text(tree, key).map(text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "expected true or false, not " + text);
        });
    }

    /** The endpoint's URL; one written without a scheme (host:port) gets the one {@code secure} asks for. */
    private static URI endpoint(String text, boolean secure) {
        return ConfigTree.httpUrl("storage.s3.regionendpoint",
                text.contains("://") ? text : (secure ? "https://" : "http://") + text);
    }

    /** Where a log line says the registry's files are. */
    public String location() {
        return "s3://" + bucket + "/" + rootDirectory.replaceAll("^/+", "");
    }
}
