package org.sealgate.crypto;

import java.io.IOException;
import java.io.OutputStream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cms.CMSTypedData;

/**
 * CMS content that reaches the content encryptor in 4 KB pieces instead of one call per message. The JDK swaps
 * in its AES-NI/CLMUL code for GCM and CBC only once the calling methods are hot: with one large
 * {@code Cipher.update} per mail that takes thousands of mails (a 100 KB message then costs about 1 ms of pure-Java
 * GHASH instead of 0.02 ms; see BENCHMARKS.md, "Profile").
 */
final class ChunkedContent implements CMSTypedData {
    static final int CHUNK = 4 * 1024;

    private final byte[] bytes;

    ChunkedContent(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public ASN1ObjectIdentifier getContentType() {
        return CMSObjectIdentifiers.data;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += CHUNK) {
            out.write(bytes, offset, Math.min(CHUNK, bytes.length - offset));
        }
    }

    @Override
    public Object getContent() {
        return bytes.clone();
    }
}
