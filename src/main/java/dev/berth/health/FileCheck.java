package dev.berth.health;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code health.file}: fails while the file exists, so an operator can take the registry out of rotation. */
public record FileCheck(Path file) implements HealthCheck {

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public void check() {
        if (Files.exists(file)) {
            throw new IllegalStateException("file exists");
        }
    }
}
