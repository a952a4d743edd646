package dev.berth.http;

/** Told of every request the registry served, after its response is complete: the access log, metrics. */
@FunctionalInterface
public interface RequestObserver {

    /** Called on the request's thread; must be quick and must not throw. */
    void completed(RequestRecord request);

    /**
     * Whether this observer reads {@link RequestRecord#events()}: while none does, requests do not record them, which
     * spares the small requests that are most of a registry's traffic the work.
     */
    default boolean readsEvents() {
        return false;
    }
}
