package dev.berth.health;

/** One thing that must hold for the registry to be healthy, checked again and again. */
public interface HealthCheck {

    /** Names the check in {@code /debug/health}, as distribution names it. */
    String name();

    /** Returns when the check passes; throws, with a message saying what is wrong, when it fails. */
    void check() throws Exception;
}
