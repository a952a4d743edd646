package dev.berth.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** {@code health.tcp}: a connection to {@code HOST:PORT} opens within the timeout. */
public record TcpCheck(String address, Duration timeout) implements HealthCheck {

    @Override
    public String name() {
        return address;
    }

    @Override
    public void check() throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("no port in " + address);
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))),
                    (int) timeout.toMillis());
        } catch (NumberFormatException e) {
            throw new IOException("bad port in " + address, e);
        }
    }
}
