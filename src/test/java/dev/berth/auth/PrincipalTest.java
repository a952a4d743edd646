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
        Permissions nobody = Principal.NOBODY.permissions();
        assertThat(Principal.NOBODY.user()).isEmpty();
        for (Access access : ACCESSES) {
            assertThat(nobody.allows(access)).as(access.scope()).isFalse();
        }
        assertThat(nobody.allowsEverything()).isFalse();
        assertThat(nobody.listsInCatalog("library/alpine")).isFalse();
    }

    @Test
    void withoutAuthenticationEveryoneMayDoEverything() {
        Permissions everyone = Principal.UNRESTRICTED.permissions();
        assertThat(Principal.UNRESTRICTED.user()).isEmpty();
        for (Access access : ACCESSES) {
            assertThat(everyone.allows(access)).as(access.scope()).isTrue();
        }
        assertThat(everyone.allowsEverything()).isTrue();
        assertThat(everyone.listsInCatalog("library/alpine")).isTrue();
    }
}
