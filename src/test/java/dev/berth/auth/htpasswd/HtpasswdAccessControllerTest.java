package dev.berth.auth.htpasswd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.auth.Access;
import dev.berth.auth.AccessDeniedException;
import dev.berth.auth.AccessRule;
import dev.berth.auth.AccessRules;
import dev.berth.auth.Action;
import dev.berth.auth.MutableClock;
import dev.berth.auth.AuthRequest;
import dev.berth.auth.AuthenticationRequiredException;
import dev.berth.auth.FailureThrottle;
import dev.berth.auth.RepositoryGlob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdAccessControllerTest {

    @TempDir
    Path dir;

    private Path file;
    private MutableClock clock;

    @BeforeEach
    void writeFile() throws Exception {
        file = dir.resolve("htpasswd");
        Files.write(file, List.of(HtpasswdFile.entry("xiaofei", "123456", 4), "# a comment", "",
                "carol:{SHA}fEqNCco3Yq9h5ZUglD3CZJT4lBs=", "broken line", HtpasswdFile.entry("bob", "pw", 4)));
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    private HtpasswdAccessController controller(AccessRules rules) {
        return new HtpasswdAccessController(new HtpasswdFile(file, clock), "Registry Realm", rules,
                new FailureThrottle());
    }

    private static AuthRequest basic(String user, String password) {
        return new AuthRequest(Optional.of("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8))), "127.0.0.1", "http://registry.test");
    }

    private static final AuthRequest ANONYMOUS = new AuthRequest(Optional.empty(), "127.0.0.1", "http://registry.test");

    private static List<Access> push(String repository) {
        return List.of(Access.repository(repository, Set.of(Action.PULL, Action.PUSH)));
    }

    @Test
    void acceptsBcryptUsersAndChallengesEveryoneElse() {
        HtpasswdAccessController controller = controller(AccessRules.everyUserEverything());
        assertThat(controller.authorize(basic("xiaofei", "123456"), push("any/repo")).user()).contains("xiaofei");
        assertThatThrownBy(() -> controller.authorize(basic("xiaofei", "wrong"), List.of()))
                .isInstanceOf(AuthenticationRequiredException.class)
                .satisfies(e -> assertThat(((AuthenticationRequiredException) e).challenge())
                        .isEqualTo("Basic realm=\"Registry Realm\""));
        assertThatThrownBy(() -> controller.authorize(basic("nobody", "123456"), List.of()))
                .isInstanceOf(AuthenticationRequiredException.class);
        assertThatThrownBy(() -> controller.authorize(ANONYMOUS, List.of()))
                .isInstanceOf(AuthenticationRequiredException.class);
        assertThatThrownBy(() -> controller.authorize(ANONYMOUS, push("any/repo")))
                .isInstanceOf(AuthenticationRequiredException.class);
    }

    @Test
    void refusesNonBcryptEntries() {
        HtpasswdAccessController controller = controller(AccessRules.everyUserEverything());
        assertThatThrownBy(() -> controller.authorize(basic("carol", "abc"), List.of()))
                .isInstanceOf(AuthenticationRequiredException.class);
    }

    @Test
    void refusesPasswordsBcryptWouldCut() throws Exception {
        String longPassword = "p".repeat(80);
        // as a tool that silently cuts at 72 bytes would have written it
        Files.write(file, List.of(HtpasswdFile.entry("long", longPassword.substring(0, 72), 4)));
        HtpasswdAccessController controller = controller(AccessRules.everyUserEverything());
        assertThatThrownBy(() -> controller.authorize(basic("long", longPassword), List.of()))
                .isInstanceOf(AuthenticationRequiredException.class);
    }

    @Test
    void deniesWhatTheRulesDoNotGrant() {
        HtpasswdAccessController controller = controller(new AccessRules(List.of(
                new AccessRule(Set.of("*"), List.of(new RepositoryGlob("${user}/**")), Set.of(Action.ALL)),
                new AccessRule(Set.of("anonymous"), List.of(new RepositoryGlob("public/**")), Set.of(Action.PULL))),
                Map.of(), Set.of()));
        assertThat(controller.authorize(basic("bob", "pw"), push("bob/app")).user()).contains("bob");
        assertThatThrownBy(() -> controller.authorize(basic("bob", "pw"), push("xiaofei/app")))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(controller.authorize(ANONYMOUS, List.of(Access.repository("public/x", Set.of(Action.PULL))))
                .user()).isEmpty();
        assertThatThrownBy(() -> controller.authorize(ANONYMOUS, push("public/x")))
                .isInstanceOf(AuthenticationRequiredException.class);
    }

    @Test
    void picksUpChangesToTheFileWithoutRestart() throws Exception {
        HtpasswdAccessController controller = controller(AccessRules.everyUserEverything());
        assertThat(controller.authorize(basic("xiaofei", "123456"), List.of()).user()).isPresent();
        Files.write(file, List.of(HtpasswdFile.entry("dave", "new", 4)));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        clock.advance(Duration.ofSeconds(2));
        assertThat(controller.authorize(basic("dave", "new"), List.of()).user()).contains("dave");
        assertThatThrownBy(() -> controller.authorize(basic("xiaofei", "123456"), List.of()))
                .as("a removed user's cached login ends with the file's new generation")
                .isInstanceOf(AuthenticationRequiredException.class);
    }

    @Test
    void failsAtStartWhenTheFileIsMissing() {
        assertThatThrownBy(() -> new HtpasswdFile(dir.resolve("missing"), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void editsEntriesInPlace() {
        List<String> lines = List.of("a:1", "b:2");
        assertThat(HtpasswdFile.withEntry(lines, "a", "a:3")).containsExactly("a:3", "b:2");
        assertThat(HtpasswdFile.withEntry(lines, "c", "c:4")).containsExactly("a:1", "b:2", "c:4");
        assertThat(HtpasswdFile.withoutUser(lines, "a")).containsExactly("b:2");
        assertThat(HtpasswdFile.entry("u", "p", 10)).matches("u:\\$2y\\$10\\$[./A-Za-z0-9]{53}");
    }
}
