package dev.berth.http;

/** Told of every request the registry served, after its response is complete: the access log, metrics. */
@FunctionalInterface
public interface RequestObserver {

    /** Called on the request's thread; must be quick and must not throw. */
    void completed(RequestRecord request);
}
