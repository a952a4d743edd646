package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A listening address, {@code HOST:PORT} or {@code :PORT}; an empty host means every interface. */
public record Address(String host, int port) {

    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]*):(\\d{1,5})");

    /** The host to listen on: the one given, or every interface. */
    public String listeningHost() {
        return host.isEmpty() ? "0.0.0.0" : host;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(listeningHost(), port);
    }

    static Optional<Address> read(JsonNode tree, String key) {
        return ConfigTree.text(tree, key).map(text -> {
            Matcher address = ADDRESS.matcher(text);
            if (!address.matches() || Integer.parseInt(address.group(2)) > 65535) {
                throw new ConfigException(key, "expected HOST:PORT or :PORT, not " + text);
            }
            return new Address(address.group(1).replace("[", "").replace("]", ""), Integer.parseInt(address.group(2)));
        });
    }
}
