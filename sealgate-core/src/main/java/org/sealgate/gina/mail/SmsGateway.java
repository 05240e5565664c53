package org.sealgate.gina.mail;

/**
 * Sends a text message to a phone: how a GINA recipient gets the first password when the sender gave a number.
 * The node binds the Camel route to the configured HTTP SMS gateway, or {@link #NONE}. Implementations never log
 * the text (it holds a password).
 */
@FunctionalInterface
public interface SmsGateway {

    /** Returns when the gateway accepted the message; {@link SmsException} says why it did not. */
    void send(String phoneNumber, String text) throws SmsException;

    SmsGateway NONE = (phoneNumber, text) -> {
        throw new SmsException("no SMS gateway is configured on this node");
    };

    /** The gateway refused, could not be reached, or none is configured. The message never contains the text. */
    class SmsException extends Exception {
        public SmsException(String message) {
            super(message);
        }

        public SmsException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
