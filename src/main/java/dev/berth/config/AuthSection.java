package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads distribution's {@code auth} section and Berth's {@code berth.access} rules. */
final class AuthSection {

    private static final Set<String> ACTIONS = Set.of("pull", "push", "delete", "*");
    private static final Set<String> RULE_KEYS = Set.of("who", "repositories", "actions");
    private static final Set<String> SCHEMES = Set.of("htpasswd", "token");
    /** distribution's name for no authentication. */
    private static final String NONE = "none";

    private AuthSection() {
    }

    static Optional<Config.Htpasswd> htpasswd(JsonNode tree) {
        JsonNode auth = tree.path("auth");
        auth.fieldNames().forEachRemaining(scheme -> {
            if (scheme.equals(NONE) && auth.size() > 1) {
                throw new ConfigException("auth.none", "no authentication, yet another scheme is configured too");
            }
            if (!SCHEMES.contains(scheme) && !scheme.equals(NONE)) {
                throw new ConfigException("auth." + scheme, "this authentication scheme is not supported yet; "
                        + "use auth.htpasswd or auth.token");
            }
        });
        if (!ConfigTree.named(tree, "auth.htpasswd")) {
            return Optional.empty();
        }
        Path path = ConfigTree.text(tree, "auth.htpasswd.path").map(Path::of)
                .orElseThrow(() -> new ConfigException("auth.htpasswd.path", "the htpasswd file is required"));
        String realm = ConfigTree.text(tree, "auth.htpasswd.realm").orElse("Registry Realm");
        return Optional.of(new Config.Htpasswd(realm, path));
    }

    static Optional<Config.AccessPolicy> access(JsonNode tree) {
        if (!ConfigTree.present(tree, "berth.access")) {
            return Optional.empty();
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        ConfigTree.at(tree, "berth.access.groups").fieldNames().forEachRemaining(group ->
                groups.put(group, ConfigTree.strings(tree, "berth.access.groups." + group)));
        JsonNode rulesNode = ConfigTree.at(tree, "berth.access.rules");
        if (!rulesNode.isMissingNode() && !rulesNode.isArray()) {
            throw new ConfigException("berth.access.rules", "expected a list of rules");
        }
        List<Config.AccessRuleSettings> rules = new ArrayList<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            rules.add(rule(rulesNode.get(i), "berth.access.rules[" + i + "]", groups.keySet()));
        }
        List<String> admins = ConfigTree.strings(tree, "berth.access.admins");
        requireGroups(admins, groups.keySet(), "berth.access.admins");
        return Optional.of(new Config.AccessPolicy(rules, groups, admins));
    }

    /**
     * A rule must say what it means: a rule that could never apply, through a typo in a key, a group or a pattern,
     * would leave access silently other than the operator wrote.
     */
    private static Config.AccessRuleSettings rule(JsonNode node, String key, Set<String> groups) {
        node.fieldNames().forEachRemaining(field -> {
            if (!RULE_KEYS.contains(field)) {
                throw new ConfigException(key + "." + field, "unknown key; a rule has who, repositories and actions");
            }
        });
        List<String> who = ConfigTree.strings(node, "who");
        List<String> repositories = ConfigTree.strings(node, "repositories");
        List<String> actions = ConfigTree.strings(node, "actions");
        if (who.isEmpty() || repositories.isEmpty() || actions.isEmpty()) {
            throw new ConfigException(key, "a rule needs who, repositories and actions");
        }
        requireGroups(who, groups, key + ".who");
        for (String pattern : repositories) {
            if (pattern.isBlank() || !pattern.replace("${user}", "").equals(
                    pattern.replace("${user}", "").toLowerCase(Locale.ROOT))) {
                throw new ConfigException(key + ".repositories", "'" + pattern + "' can match no repository: "
                        + "names are lower-case and not empty");
            }
        }
        for (String action : actions) {
            if (!ACTIONS.contains(action)) {
                throw new ConfigException(key + ".actions", "unknown action " + action + "; use pull, push, delete or *");
            }
        }
        return new Config.AccessRuleSettings(who, repositories, actions);
    }

    private static void requireGroups(List<String> who, Set<String> groups, String key) {
        for (String entry : who) {
            if (entry.startsWith("@") && !groups.contains(entry.substring(1))) {
                throw new ConfigException(key, "no group " + entry.substring(1) + " in berth.access.groups");
            }
        }
    }
}
