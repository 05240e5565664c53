package org.sealgate.node;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.SmtpSink;
import org.sealgate.testing.Prerequisites;

/** The independent check: OpenSSL's {@code cms} command opens and verifies what the gateway produced. */
final class OpenSslChecks {
    private OpenSslChecks() {
    }

    /** Runs openssl with the bytes on stdin; returns stdout, or fails the test with stderr. */
    static byte[] openssl(Path work, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path in = Files.createTempFile(work, "in", ".eml");
        Path err = Files.createTempFile(work, "err", ".txt");
        Files.write(in, stdin);
        Process process = new ProcessBuilder(command).directory(work.toFile())
            .redirectInput(in.toFile()).redirectError(err.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl " + String.join(" ", args) + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + Files.readString(err));
        }
        return out;
    }

    static byte[] decrypt(Path work, byte[] message, IssuedIdentity recipient) throws Exception {
        Path cert = Files.createTempFile(work, "recip", ".pem");
        Path key = Files.createTempFile(work, "key", ".pem");
        recipient.writePem(cert, key);
        return openssl(work, message, "cms", "-decrypt", "-recip", cert.toString(), "-inkey", key.toString());
    }

    /** {@code openssl cms -verify} against the CA; returns the signed content. */
    static byte[] verify(Path work, byte[] signed, X509Certificate ca) throws Exception {
        Path caFile = Files.createTempFile(work, "ca", ".pem");
        Files.writeString(caFile, CertificateIssuer.pem(ca));
        return openssl(work, signed, "cms", "-verify", "-CAfile", caFile.toString(), "-purpose", "smimesign");
    }

    static byte[] attachment(byte[] mimeEntity, String fileName) throws Exception {
        MimeMessage message = parse(mimeEntity);
        Part part = find(message, fileName);
        if (part == null) {
            throw new AssertionError("no attachment " + fileName);
        }
        // A plain read loop: javax.mail 1.6's base64 stream ends early under InputStream.readAllBytes().
        try (InputStream in = part.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static Part find(Part part, String fileName) throws MessagingException, IOException {
        if (fileName.equals(part.getFileName())) {
            return part;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Part found = find(child, fileName);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static MimeMessage parse(byte[] bytes) throws MessagingException {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    static String text(MimeMessage message) {
        return new String(SmtpSink.raw(message), StandardCharsets.UTF_8);
    }


    static String address(IssuedIdentity identity) {
        return SmimeCrypto.emailAddresses(identity.certificate()).get(0);
    }

    static PrivateKey readKey(Path pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(pem)))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }

    static List<X509Certificate> readCertificates(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in)
                .forEach(c -> certificates.add((X509Certificate) c));
            return certificates;
        }
    }

    /** The shared interoperability vectors ({@code ../shared/testdata/examples-cms} beside the checkout). */
    static Path examplesCms() {
        return org.sealgate.testing.Prerequisites.sharedTestData("examples-cms");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
