package dev.berth.bench;

/** A response that is not what the protocol promises: a wrong status, a missing header, a wrong digest. */
final class CheckFailedException extends RuntimeException {

    CheckFailedException(String message) {
        super(message);
    }
}
