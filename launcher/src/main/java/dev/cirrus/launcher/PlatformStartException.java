package dev.cirrus.launcher;

/** The platform could not start; the message says why and what to do, in words a user can act on. */
public class PlatformStartException extends RuntimeException {

    public PlatformStartException(String message) {
        super(message);
    }

    public PlatformStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
