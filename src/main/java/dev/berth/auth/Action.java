package dev.berth.auth;

/** What a request does to a resource, in the vocabulary of distribution's token scopes. */
public enum Action {
    PULL, PUSH, DELETE
}
