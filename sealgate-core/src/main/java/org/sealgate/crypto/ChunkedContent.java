package org.sealgate.crypto;

import java.io.IOException;
import java.io.OutputStream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSTypedData;

/**
 * CMS content that reaches the content encryptor in 1 KB pieces instead of one call per message. The JDK uses
 * the CPU's AES and carry-less-multiply instructions for GCM only from C2-compiled callers, and the JIT compiles by
 * call counts: with one large {@code Cipher.update} per mail that took thousands of mails (meanwhile GHASH runs as
 * plain Java, about 1 ms per 100 KB instead of 0.02 ms); with 100 calls per 100 KB it takes a few hundred. Hot, 1 KB
 * pieces cost no more than larger ones (see docs/benchmarks/history.md, "Profile"). A start-up loop calling the cipher
 * directly did not help: the JIT compiled the loop with everything inlined, leaving the mail path's own methods
 * cold; {@link GcmEncryptionWarmUp} therefore calls the mail path's own {@link AuthEnvelopedWriter#seal}. Used for
 * AES-CBC EnvelopedData (Bouncy Castle's generator); AES-GCM goes through {@link AuthEnvelopedWriter}.
 */
final class ChunkedContent implements CMSTypedData {
    static final int CHUNK = 1024;

    private final OutgoingEntity entity;

    ChunkedContent(byte[] bytes) {
        this(OutgoingEntity.whole(bytes));
    }

    /** The entity read where its bytes lie (its header block, then its body in the serialised message). */
    ChunkedContent(OutgoingEntity entity) {
        this.entity = entity;
    }

    @Override
    public ASN1ObjectIdentifier getContentType() {
        return CMSObjectIdentifiers.data;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        entity.writeTo(out, CHUNK);
    }

    @Override
    public Object getContent() {
        return entity.toArray();
    }
}
