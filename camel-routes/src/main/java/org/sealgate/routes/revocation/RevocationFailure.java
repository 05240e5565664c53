package org.sealgate.routes.revocation;

/** Why a revocation exchange failed, as the routes' central error handler answers it (never an exception object). */
record RevocationFailure(String reason) {

    static RevocationFailure of(Exception cause) {
        if (cause == null) {
            return new RevocationFailure("failed");
        }
        String message = cause.getMessage();
        return new RevocationFailure(message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }
}
