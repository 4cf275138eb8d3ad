package io.eltcdc.destination;

/** A destination's check before the start failed; the message is meant for the user as it is. */
public final class DestinationCheckException extends Exception {
    public DestinationCheckException(String message) {
        super(message);
    }
}
