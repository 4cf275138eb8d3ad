package io.eltcdc.sink.load;

import java.io.IOException;

/**
 * A load failed in a way only a person can fix ({@link io.eltcdc.model.TransientFaults#isPermanent}):
 * a refused login, a missing privilege, a full disk. Its message says what failed, in the
 * destination's words, and what to fix; the driver's exception is attached as suppressed rather
 * than as the cause, so that this message is the one a run reports (the deepest cause's).
 */
final class DestinationRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    DestinationRefusedException(String what, Throwable failure, String whatToFix) {
        super(what + " failed: " + firstLine(failure) + ". " + capitalized(whatToFix) + ".");
        addSuppressed(failure);
    }

    private static String firstLine(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
