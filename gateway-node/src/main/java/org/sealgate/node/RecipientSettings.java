package org.sealgate.node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Which recipients in managed domains the SMTP server accepts ({@code sealgate.properties}):
 * {@code smtp.recipients = known} (default: those with a managed S/MIME or OpenPGP key, those listed in
 * {@code smtp.recipients-file}, postmaster and abuse; everyone else gets 550 at RCPT) or {@code any} (every address
 * in a managed domain: only when the next hop's answers are fine to bounce to unverified senders).
 *
 * @param knownOnly      {@code smtp.recipients = known}
 * @param recipientsFile one address a line; default {@code DATA/recipients.txt}, relative paths to DATA
 */
record RecipientSettings(boolean knownOnly, Path recipientsFile) {
    static final String MODE = "smtp.recipients";
    static final String FILE = "smtp.recipients-file";

    static RecipientSettings load(Path data) throws IOException {
        Properties properties = new Properties();
        Path file = data.resolve(NodeSettings.FILE_NAME);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        String mode = properties.getProperty(MODE, "known").trim();
        if (!mode.equals("known") && !mode.equals("any")) {
            throw new IllegalArgumentException(NodeSettings.FILE_NAME + ": " + MODE + " must be known or any, got '" + mode + "'");
        }
        Path list = data.resolve(properties.getProperty(FILE, "recipients.txt").trim()).toAbsolutePath();
        return new RecipientSettings(mode.equals("known"), list);
    }
}
