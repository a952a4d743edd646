package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    private static final List<Access> ACCESSES = List.of(
            Access.repository("library/alpine", Set.of(Action.PULL)),
            Access.repository("team/app", Set.of(Action.PULL, Action.PUSH)),
            Access.repository("team/app", Set.of(Action.DELETE)),
            Access.catalog(),
            Access.admin());

    @Test
    void nobodyMayDoNothingAndSeesNoRepository() {
        assertMay(Principal.NOBODY, false);
    }

    @Test
    void withoutAuthenticationEveryoneMayDoEverything() {
        assertMay(Principal.UNRESTRICTED, true);
    }

    /** Whether {@code principal}, who has no user name, may make every access, pull from all and list a repository. */
    private static void assertMay(Principal principal, boolean allowed) {
        Permissions permissions = principal.permissions();
        assertThat(principal.user()).isEmpty();
        for (Access access : ACCESSES) {
            assertThat(permissions.allows(access)).as(access.scope()).isEqualTo(allowed);
        }
        assertThat(permissions.allowsEverything()).isEqualTo(allowed);
        assertThat(permissions.listsInCatalog("library/alpine")).isEqualTo(allowed);
    }
}
