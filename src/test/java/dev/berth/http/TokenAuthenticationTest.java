package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.auth.AccessRule;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.OpenAccess;
import dev.berth.auth.RepositoryGlob;
import dev.berth.auth.htpasswd.HtpasswdAuthenticator;
import dev.berth.auth.htpasswd.HtpasswdFile;
import dev.berth.auth.token.BearerChallenge;
import dev.berth.auth.token.SigningKey;
import dev.berth.auth.token.TokenAccessController;
import dev.berth.auth.token.TokenIssuer;
import dev.berth.auth.token.TokenVerifier;
import dev.berth.auth.token.TrustedKeys;
import dev.berth.registry.ManifestRules;
import dev.berth.registry.Registry;
import dev.berth.storage.filesystem.FilesystemDriver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Berth as its own token service, driven over HTTP the way docker drives a registry with token auth. */
class TokenAuthenticationTest {

    private static final String SERVICE = "berth-test";
    private static final String XIAOFEI = "xf-pass-4711";
    private static final String BOB = "bob-pass-0815";
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NO_BODY = new byte[0];

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** Every password and token of the test: none may reach a log line. */
    private final List<String> secrets = new ArrayList<>(List.of(XIAOFEI, BOB, "wrong-guess"));
    private RegistryServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        ((Logger) LoggerFactory.getLogger("dev.berth")).setLevel(Level.DEBUG);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        Path htpasswd = Files.write(dir.resolve("htpasswd"),
                List.of(HtpasswdFile.entry("xiaofei", XIAOFEI, 4), HtpasswdFile.entry("bob", BOB, 4)));
        // users own <user>/**, everyone pulls public/**, xiaofei also pushes there
        AccessRules rules = new AccessRules(List.of(
                new AccessRule(Set.of("*"), List.of(new RepositoryGlob("${user}/**")), Set.of(Action.ALL)),
                new AccessRule(Set.of("*", "anonymous"), List.of(new RepositoryGlob("public/**")), Set.of(Action.PULL)),
                new AccessRule(Set.of("xiaofei"), List.of(new RepositoryGlob("public/**")), Set.of(Action.PUSH))),
                Map.of(), Set.of());
        SigningKey key = SigningKey.readOrCreate(dir.resolve("key.pem"));
        TokenIssuer issuer = new TokenIssuer(key, "berth", SERVICE, Duration.ofMinutes(5),
                new HtpasswdAuthenticator(new HtpasswdFile(htpasswd, Clock.systemUTC()), "Berth Test",
                        new FailureThrottle()), rules, Clock.systemUTC());
        TokenAccessController controller = new TokenAccessController(new TokenVerifier(
                TrustedKeys.of(key.publicKey()), "berth", SERVICE, Set.of("ES256"), Clock.systemUTC()),
                new BearerChallenge("/auth/token", SERVICE), rules::permissionsOf);
        server = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry("storage"), controller, issuer));
        server.start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.berth")).setLevel(null);
    }

    private Registry registry(String directory) {
        return Registry.over(new FilesystemDriver(dir.resolve(directory)), true, ManifestRules.NO_URLS,
                Clock.systemUTC());
    }

    private HttpResponse<String> send(String method, String path, Optional<String> authorization, byte[] body,
                                      String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Optional<String> authorization) throws Exception {
        return send("GET", path, authorization, NO_BODY);
    }

    private static Optional<String> basic(String user, String password) {
        return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The parameters of the Bearer challenge of a 401. */
    private static Map<String, String> challenge(HttpResponse<?> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        String header = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(header).startsWith("Bearer ");
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher m = PARAMETER.matcher(header);
        while (m.find()) {
            parameters.put(m.group(1), m.group(2));
        }
        return parameters;
    }

    /** Answers a challenge as docker does: asks its realm for its service and scopes, with the credentials. */
    private Optional<String> tokenFor(HttpResponse<?> refused, Optional<String> credentials) throws Exception {
        Map<String, String> challenge = challenge(refused);
        StringBuilder url = new StringBuilder(challenge.get("realm")).append("?account=x&client_id=docker&service=")
                .append(URLEncoder.encode(challenge.get("service"), StandardCharsets.UTF_8));
        for (String scope : challenge.getOrDefault("scope", "").split(" ")) {
            if (!scope.isEmpty()) {
                url.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
            }
        }
        HttpResponse<String> response = get(url.toString(), credentials);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("access_token").asText()).isEqualTo(body.get("token").asText());
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(body.get("issued_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        secrets.add(body.get("token").asText());
        return Optional.of("Bearer " + body.get("token").asText());
    }

    /** A request refused without a token, then retried with one for the scopes it was told to get. */
    private HttpResponse<String> withToken(String method, String path, Optional<String> credentials, byte[] body,
                                           String... headers) throws Exception {
        HttpResponse<String> refused = send(method, path, Optional.empty(), body, headers);
        return send(method, path, tokenFor(refused, credentials), body, headers);
    }

    private void pushImage(String repository, Optional<String> credentials) throws Exception {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
        assertThat(withToken("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, credentials, config)
                .statusCode()).isEqualTo(201);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest
                + "\",\"size\":2},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
        assertThat(withToken("PUT", "/v2/" + repository + "/manifests/v1", credentials, manifest,
                "Content-Type", "application/vnd.oci.image.manifest.v1+json").statusCode()).isEqualTo(201);
    }

    @Test
    void logsInPushesAndPullsThroughTheTokenDance() throws Exception {
        HttpResponse<String> versionCheck = get("/v2/", Optional.empty());
        assertThat(challenge(versionCheck)).isEqualTo(Map.of("realm", base + "/auth/token", "service", SERVICE));
        assertThat(versionCheck.body()).contains("\"UNAUTHORIZED\"");
        // docker login: a token without scopes, then /v2/ with it
        assertThat(get("/v2/", tokenFor(versionCheck, basic("xiaofei", XIAOFEI))).statusCode()).isEqualTo(200);

        HttpResponse<String> push = send("POST", "/v2/xiaofei/app/blobs/uploads/", Optional.empty(), NO_BODY);
        assertThat(challenge(push)).containsEntry("scope", "repository:xiaofei/app:pull,push");
        pushImage("xiaofei/app", basic("xiaofei", XIAOFEI));
        pushImage("public/base", basic("xiaofei", XIAOFEI));

        assertThat(withToken("GET", "/v2/xiaofei/app/manifests/v1", basic("xiaofei", XIAOFEI), NO_BODY,
                "Accept", "application/vnd.oci.image.manifest.v1+json").statusCode()).isEqualTo(200);
        assertThat(withToken("GET", "/v2/public/base/tags/list", Optional.empty(), NO_BODY).body())
                .as("anonymous callers get what the rules give anonymous").contains("\"v1\"");
    }

    @Test
    void givesOtherUsersTokensWithoutTheScopeThatTheRegistryThenRefuses() throws Exception {
        pushImage("xiaofei/app", basic("xiaofei", XIAOFEI));
        assertThat(challenge(withToken("GET", "/v2/xiaofei/app/manifests/v1", basic("bob", BOB), NO_BODY)))
                .containsEntry("error", "insufficient_scope").containsEntry("scope", "repository:xiaofei/app:pull");
        assertThat(challenge(withToken("POST", "/v2/xiaofei/app/blobs/uploads/", basic("bob", BOB), NO_BODY)))
                .containsEntry("error", "insufficient_scope")
                .containsEntry("scope", "repository:xiaofei/app:pull,push");
        assertThat(challenge(withToken("GET", "/v2/xiaofei/app/tags/list", Optional.empty(), NO_BODY)))
                .containsEntry("error", "insufficient_scope");
    }

    @Test
    void showsEachUserTheCatalogTheAccessRulesShow() throws Exception {
        pushImage("xiaofei/app", basic("xiaofei", XIAOFEI));
        pushImage("public/base", basic("xiaofei", XIAOFEI));
        HttpResponse<String> refused = get("/v2/_catalog", Optional.empty());
        assertThat(challenge(refused)).containsEntry("scope", "registry:catalog:*");
        assertThat(JSON.readTree(get("/v2/_catalog", tokenFor(refused, basic("xiaofei", XIAOFEI))).body())
                .get("repositories").toString()).isEqualTo("[\"public/base\",\"xiaofei/app\"]");
        assertThat(JSON.readTree(get("/v2/_catalog", tokenFor(refused, basic("bob", BOB))).body())
                .get("repositories").toString()).isEqualTo("[\"public/base\"]");
    }

    @Test
    void refusesWrongPasswordsAndBadTokensWith401AndLogsNoSecret() throws Exception {
        HttpResponse<String> wrong = get("/auth/token?service=" + SERVICE + "&scope=repository:xiaofei/app:pull",
                basic("xiaofei", "wrong-guess"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Berth Test\"");
        assertThat(send("POST", "/auth/token", Optional.empty(), NO_BODY).statusCode()).isEqualTo(405);

        String valid = tokenFor(get("/v2/xiaofei/app/tags/list", Optional.empty()), basic("xiaofei", XIAOFEI))
                .orElseThrow().substring("Bearer ".length());
        String[] parts = valid.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(header.replace("ES256", "none")
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        for (String token : List.of(parts[0] + "." + parts[1] + "." + parts[2].substring(4) + "AAAA", unsigned,
                "a.b.c", "%%%", parts[0] + "." + parts[1], "x".repeat(14_000))) {
            secrets.add(token);
            HttpResponse<String> refused = get("/v2/xiaofei/app/tags/list", Optional.of("Bearer " + token));
            assertThat(challenge(refused)).containsEntry("error", "invalid_token");
            assertThat(refused.body()).contains("\"UNAUTHORIZED\"").doesNotContain(token);
        }
        assertThat(get("/v2/xiaofei/app/tags/list", Optional.of("Bearer " + valid)).statusCode())
                .as("the valid token gets past access control to a repository never pushed").isEqualTo(404);

        List<String> logged = logs.list.stream().map(event -> event.getFormattedMessage()
                + Optional.ofNullable(event.getThrowableProxy()).map(t -> " " + t.getMessage()).orElse(""))
                .toList();
        assertThat(logged).as("the failed login is logged").anyMatch(line -> line.contains("xiaofei"));
        for (String secret : secrets) {
            assertThat(logged).noneMatch(line -> line.contains(secret));
        }
    }

    @Test
    void answers404OnTheTokenPathWhenBerthIsNotATokenService() throws Exception {
        try (RegistryServer plain = new RegistryServer(new InetSocketAddress("127.0.0.1", 0),
                new RegistryHandler(registry("other"), new OpenAccess()))) {
            plain.start();
            assertThat(get("http://127.0.0.1:" + plain.port() + "/auth/token", Optional.empty()).statusCode())
                    .isEqualTo(404);
        }
    }
}
