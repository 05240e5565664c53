package org.sealgate.routes.sms;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP SMS gateway that GINA first passwords go to. HTTPS, except to a loopback address (a gateway agent on
 * the same host, and tests). Credentials, when the gateway wants HTTP Basic authentication, come from a file with
 * one line {@code user:password}; {@link #toString()} never shows the password.
 *
 * @param url        where the request is POSTed
 * @param senderName what the SMS shows as its sender ({@code from})
 * @param timeout    connect and response timeout: a slow gateway falls back to the sender mail, it does not
 *                   stall the mail pipeline
 */
public record SmsSettings(URI url, Optional<String> user, Optional<String> password, String senderName, Duration timeout) {

    public SmsSettings {
        String scheme = url.getScheme();
        if (!"https".equals(scheme) && !("http".equals(scheme) && isLoopback(url.getHost()))) {
            throw new IllegalArgumentException("the SMS gateway URL must be https (http only to a loopback address): " + url);
        }
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("SMS gateway credentials need both user and password");
        }
        if (senderName.isBlank()) {
            throw new IllegalArgumentException("the SMS sender name must not be empty");
        }
    }

    public static SmsSettings of(URI url, Optional<Path> credentialsFile, String senderName) throws IOException {
        if (credentialsFile.isEmpty()) {
            return new SmsSettings(url, Optional.empty(), Optional.empty(), senderName, Duration.ofSeconds(10));
        }
        String line = Files.readAllLines(credentialsFile.get(), StandardCharsets.UTF_8).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("");
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            throw new IOException(credentialsFile.get() + ": expected one line 'user:password'");
        }
        return new SmsSettings(url, Optional.of(line.substring(0, colon)), Optional.of(line.substring(colon + 1)),
            senderName, Duration.ofSeconds(10));
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // Only literal addresses: no name lookup decides whether credentials may travel in clear.
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SmsSettings[" + url + ", user " + user.orElse("(none)") + ", sender " + senderName + "]";
    }
}
