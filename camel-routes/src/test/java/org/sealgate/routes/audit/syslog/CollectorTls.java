package org.sealgate.routes.audit.syslog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.SSLContext;

import org.sealgate.routes.discovery.LoopbackTls;

/** A self-signed collector certificate for 127.0.0.1 (IP SAN, {@link LoopbackTls}), its server context, and its PEM. */
record CollectorTls(SSLContext server, X509Certificate certificate) {

    static CollectorTls create() throws Exception {
        LoopbackTls tls = LoopbackTls.create();
        return new CollectorTls(tls.server, tls.certificate);
    }

    Path writePem(Path file) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }
}
