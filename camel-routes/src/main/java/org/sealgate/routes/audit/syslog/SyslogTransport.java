package org.sealgate.routes.audit.syslog;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One connection to the collector. UDP: one datagram per message (RFC 5426). TCP and TLS: octet-counting frames,
 * {@code MSG-LEN SP SYSLOG-MSG} (RFC 6587 §3.4.1, RFC 5425 §4.3): the length, not a delimiter, ends a message, so
 * nothing inside one can start another. TLS 1.2 or 1.3 only, the collector's certificate checked against the
 * configured CA and its name against {@code host} (RFC 5425 §5.2).
 */
abstract class SyslogTransport implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 5_000;

    abstract void send(byte[] message) throws IOException;

    @Override
    public abstract void close();

    static SyslogTransport open(SyslogSettings settings) throws IOException {
        return switch (settings.protocol()) {
            case UDP -> new Udp(settings);
            case TCP -> new Stream(connect(settings, new Socket()));
            case TLS -> new Stream(tls(settings));
        };
    }

    private static Socket connect(SyslogSettings settings, Socket socket) throws IOException {
        try {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket tls(SyslogSettings settings) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trust(settings).getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS to the syslog collector: " + e.getMessage(), e);
        }
        Socket plain = connect(settings, new Socket());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, settings.host(), settings.port(), true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            // The collector's name (or IP) as in its certificate, checked like a web server's.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            socket.startHandshake();
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static TrustManagerFactory trust(SyslogSettings settings) throws IOException, GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(settings.trustedCa().orElseThrow())) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + settings.trustedCa().get());
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            anchors.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return factory;
    }

    private static final class Udp extends SyslogTransport {
        private final DatagramSocket socket;
        private final InetSocketAddress target;

        Udp(SyslogSettings settings) throws IOException {
            this.target = new InetSocketAddress(settings.host(), settings.port());
            if (target.isUnresolved()) {
                throw new IOException("cannot resolve the syslog collector " + settings.host());
            }
            this.socket = new DatagramSocket();
        }

        @Override
        void send(byte[] message) throws IOException {
            socket.send(new DatagramPacket(message, message.length, target));
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static final class Stream extends SyslogTransport {
        private final Socket socket;
        private final OutputStream out;

        Stream(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream());
        }

        @Override
        void send(byte[] message) throws IOException {
            out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(message);
            out.flush();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
