package org.sealgate.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;

/**
 * James's message wrapper over a message held in memory, whose save of a header change does not parse the body. The
 * mailets that show the recipient a result (decrypted, signature checked) change only headers; on James's own
 * wrapper each such {@code saveChanges} parsed the whole multipart tree (JavaMail updates the headers of a throwaway
 * copy of every part) and left the wrapper unsaved (the save's own MIME-Version goes through {@code setHeader}, which
 * marks James's wrapper changed), so spooling it parsed the tree once more: 13 % of an inbound node's CPU. Here a save
 * while the body is as it came (not replaced, no multipart handed out by {@code getContent}) sets only what JavaMail's
 * save sets on the message itself (MIME-Version, Date if missing; the Message-ID kept, as James keeps it); otherwise it
 * is James's save. Spooling writes the changed headers and the body bytes as they are. The message is held in the heap
 * as one array until the mail leaves the node; a body over {@link #MAX_HELD_BYTES} stays with James's wrapper (which
 * keeps a large mail in a file) and its slower save. The mailets that replace the message (sign, encrypt, the GINA
 * carrier, OpenPGP decryption) install their result here too: James's {@code setMessage} copied it once more, through
 * a temporary file for a message over 100 KB.
 */
final class HeaderSavingMessage extends MimeMessageWrapper {
    /** Largest body held in the heap in this form: eight spooler threads at once hold at most 32 MB this way. */
    static final int MAX_HELD_BYTES = 4 << 20;
    private static final AtomicLong SOURCES = new AtomicLong();

    private HeaderSavingMessage(Bytes bytes) {
        super(new BytesSource(bytes));
    }

    /**
     * Makes {@code message} the mail's message in this form (serialised once, unless it is in this form already) and
     * returns what the mail now holds: header changes made on it are the mail's. Not {@code Mail#setMessage}: James 3.8
     * would copy the message into yet another wrapper there.
     */
    static MimeMessage install(Mail mail, MimeMessage message) throws MessagingException {
        if (!(message instanceof HeaderSavingMessage) && message.getSize() > MAX_HELD_BYTES) {
            if (mail.getMessage() != message) {
                mail.setMessage(message);
            }
            return mail.getMessage();
        }
        MimeMessage held = message instanceof HeaderSavingMessage ? message : new HeaderSavingMessage(bytes(message));
        if (mail instanceof MailImpl james) {
            james.setMessageNoCopy((MimeMessageWrapper) held);
        } else {
            mail.setMessage(held);
        }
        return mail.getMessage();
    }

    /**
     * The mail's message in this form, for a mailet about to read it whole: James's own wrapper, once any header has
     * changed, loads its source through a buffer that grows by doubling (5 % of a 1 MB decryption in the spooler);
     * this copies it once into a buffer of its size.
     */
    static MimeMessage held(Mail mail) throws MessagingException {
        return install(mail, mail.getMessage());
    }

    @Override
    protected void updateHeaders() throws MessagingException {
        if (isBodyModified() || cachedContent != null) {
            super.updateHeaders();
            return;
        }
        setHeader("MIME-Version", "1.0");
        if (getHeader("Date") == null) {
            setSentDate(new Date());
        }
        updateMessageID();
    }

    @Override
    public void saveChanges() throws MessagingException {
        super.saveChanges();
        // The save's own header updates went through setHeader, which marks James's wrapper unsaved: writeTo would
        // save (and, on James's save, parse) once more.
        saved = true;
    }

    private static Bytes bytes(MimeMessage message) throws MessagingException {
        try {
            Bytes out = new Bytes(Math.max(8192, message.getSize() + 8192));
            message.writeTo(out);
            return out;
        } catch (IOException e) {
            throw new MessagingException("cannot copy the message: " + e.getMessage(), e);
        }
    }

    /** The serialised message without a copy of the buffer. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes(int size) {
            super(size);
        }

        InputStream stream() {
            return new SharedByteArrayInputStream(buf, 0, count);
        }

        int length() {
            return count;
        }
    }

    /** A shared stream: JavaMail keeps sub-streams of these bytes as the parts' content instead of copying them. */
    private static final class BytesSource implements MimeMessageSource {
        private final String id = "sealgate-message-" + SOURCES.incrementAndGet();
        private final Bytes bytes;

        BytesSource(Bytes bytes) {
            this.bytes = bytes;
        }

        @Override
        public String getSourceId() {
            return id;
        }

        @Override
        public InputStream getInputStream() {
            return bytes.stream();
        }

        @Override
        public long getMessageSize() {
            return bytes.length();
        }
    }
}
