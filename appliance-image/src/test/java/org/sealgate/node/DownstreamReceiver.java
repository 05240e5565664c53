package org.sealgate.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** The next hop after the gateway: a real SMTP server (GreenMail) on a free loopback port. */
final class DownstreamReceiver implements AutoCloseable {
    private final GreenMail greenMail;
    private final int port;

    DownstreamReceiver(int port) {
        this.port = port;
        this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    static DownstreamReceiver onFreePort() throws IOException {
        return new DownstreamReceiver(FreePorts.next());
    }

    int port() {
        return port;
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    List<MimeMessage> messages() {
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    /** Messages delivered to this envelope recipient (its mailbox at the receiver), oldest first. */
    List<MimeMessage> messagesFor(String address) {
        GreenMailUser user = greenMail.getManagers().getUserManager().getUserByEmail(address.toLowerCase());
        if (user == null) {
            return List.of();
        }
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                .map(StoredMessage::getMimeMessage).collect(Collectors.toList());
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> recipients(MimeMessage message) {
        try {
            Address[] all = message.getAllRecipients();
            return all == null ? List.of() : Arrays.stream(all).map(a -> a.toString().toLowerCase()
                .replaceAll(".*<", "").replace(">", "")).collect(Collectors.toList());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] raw(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
