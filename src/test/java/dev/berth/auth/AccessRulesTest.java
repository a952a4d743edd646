package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final AccessRules RULES = new AccessRules(List.of(
            new AccessRule(Set.of(AccessRule.ANY_USER), List.of(new RepositoryGlob("${user}/**")),
                    Set.of(Action.PULL, Action.PUSH)),
            new AccessRule(Set.of(AccessRule.ANONYMOUS, AccessRule.ANY_USER), List.of(new RepositoryGlob("public/*")),
                    Set.of(Action.PULL)),
            new AccessRule(Set.of("@team"), List.of(new RepositoryGlob("team/**")), Set.of(Action.ALL))),
            Map.of("team", Set.of("bob"), "ops", Set.of("olga")), Set.of("alice", "@ops"));

    private static Access repo(String name, Action... actions) {
        return Access.repository(name, Set.of(actions));
    }

    @Test
    void givesEveryUserTheirOwnNamespace() {
        Permissions xiaofei = RULES.permissionsOf(Optional.of("xiaofei"));
        assertThat(xiaofei.allows(repo("xiaofei/nginx-base", Action.PULL, Action.PUSH))).isTrue();
        assertThat(xiaofei.allows(repo("xiaofei/a/b", Action.PUSH))).isTrue();
        assertThat(xiaofei.allows(repo("xiaofei/nginx-base", Action.DELETE))).isFalse();
        assertThat(xiaofei.allows(repo("bob/app", Action.PULL))).isFalse();
        assertThat(xiaofei.allows(repo("xiaofeix/app", Action.PULL))).isFalse();
    }

    @Test
    void aUserNameIsNeverAPatternNorAKeyword() {
        for (String name : List.of("*", "**", "bob/app", "..", "x*")) {
            Permissions odd = RULES.permissionsOf(Optional.of(name));
            assertThat(odd.allows(repo("bob/app", Action.PULL))).as(name).isFalse();
            assertThat(odd.allows(repo("bob/app/sub", Action.PUSH))).as(name).isFalse();
            assertThat(odd.allows(repo("xa/b", Action.PULL))).as(name).isFalse();
        }
        assertThat(RULES.permissionsOf(Optional.of("@ops")).allowsEverything()).as("not the group").isFalse();
        assertThat(RULES.permissionsOf(Optional.of("@team")).allows(repo("team/x", Action.PULL))).isFalse();
        AccessRules anonymousOnly = new AccessRules(List.of(new AccessRule(Set.of(AccessRule.ANONYMOUS),
                List.of(new RepositoryGlob("**")), Set.of(Action.PULL))), Map.of(), Set.of());
        assertThat(anonymousOnly.permissionsOf(Optional.of("anonymous")).allows(repo("a", Action.PULL))).isFalse();
    }

    @Test
    void letsAnonymousCallersPullOnlyWhatARuleNamesForThem() {
        Permissions anonymous = RULES.permissionsOf(Optional.empty());
        assertThat(anonymous.allows(repo("public/app", Action.PULL))).isTrue();
        assertThat(anonymous.allows(repo("public/app", Action.PUSH))).isFalse();
        assertThat(anonymous.allows(repo("public/a/b", Action.PULL))).as("* stays in one component").isFalse();
        assertThat(anonymous.allows(repo("xiaofei/app", Action.PULL))).isFalse();
        assertThat(anonymous.allowsEverything()).isFalse();
    }

    @Test
    void grantsGroupsAndAdministrators() {
        assertThat(RULES.permissionsOf(Optional.of("bob")).allows(repo("team/x/y", Action.DELETE))).isTrue();
        assertThat(RULES.permissionsOf(Optional.of("carol")).allows(repo("team/x", Action.PULL))).isFalse();
        assertThat(RULES.permissionsOf(Optional.of("alice")).allowsEverything()).isTrue();
        assertThat(RULES.permissionsOf(Optional.of("olga")).allows(repo("anything/at/all", Action.DELETE))).isTrue();
    }

    @Test
    void opensTheCatalogToCallersWhoMayPullSomething() {
        assertThat(RULES.permissionsOf(Optional.empty()).allows(Access.catalog())).isTrue();
        AccessRules none = new AccessRules(List.of(), Map.of(), Set.of());
        assertThat(none.permissionsOf(Optional.of("x")).allows(Access.catalog())).isFalse();
    }

    @Test
    void defaultsToDistributionsAllOrNothing() {
        AccessRules rules = AccessRules.everyUserEverything();
        assertThat(rules.permissionsOf(Optional.of("anyone")).allowsEverything()).isTrue();
        assertThat(rules.permissionsOf(Optional.empty()).allows(repo("a", Action.PULL))).isFalse();
    }

    @Test
    void writesScopesAsTokensNameThem() {
        assertThat(repo("a/b", Action.PUSH, Action.PULL).scope()).isEqualTo("repository:a/b:pull,push");
        assertThat(Access.catalog().scope()).isEqualTo("registry:catalog:*");
    }
}
