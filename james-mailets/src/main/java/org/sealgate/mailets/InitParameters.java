package org.sealgate.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.base.GenericMailet;

/** Init parameter checks shared by Sealgate's mailets: a missing setting stops James at start, not at the first mail. */
final class InitParameters {
    private InitParameters() {
    }

    static String required(GenericMailet mailet, String name) throws MessagingException {
        String value = mailet.getInitParameter(name, "").trim();
        if (value.isEmpty()) {
            throw new MessagingException(mailet.getClass().getSimpleName() + ": init parameter '" + name + "' is required");
        }
        return value;
    }

    static boolean bool(GenericMailet mailet, String name, boolean defaultValue) throws MessagingException {
        String value = mailet.getInitParameter(name, String.valueOf(defaultValue)).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new MessagingException(mailet.getClass().getSimpleName() + ": '" + name + "' must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    static long positive(GenericMailet mailet, String name, long defaultValue) throws MessagingException {
        String value = mailet.getInitParameter(name, String.valueOf(defaultValue)).trim();
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MessagingException(mailet.getClass().getSimpleName() + ": '" + name + "' must be a positive number, got '" + value + "'");
    }
}
