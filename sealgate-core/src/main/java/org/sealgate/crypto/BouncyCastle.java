package org.sealgate.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one place that registers the Bouncy Castle provider; everything else asks for it by name. */
final class BouncyCastle {
    static final String PROVIDER = BouncyCastleProvider.PROVIDER_NAME;

    private BouncyCastle() {
    }

    /**
     * The provider for bulk AES (content encryption and decryption): the JDK's SunJCE, whose AES and GHASH run on
     * the CPU's AES-NI/CLMUL instructions, is several times faster than Bouncy Castle's pure-Java engines, which
     * dominated a profile of the gateway encrypting 100 KB mails. Bouncy Castle where SunJCE is absent.
     */
    static Provider bulkCipherProvider() {
        Provider sunJce = Security.getProvider("SunJCE");
        return sunJce != null ? sunJce : ensureRegistered();
    }

    /**
     * The provider for content digests (signing and verifying): the JDK's SUN SHA-2 runs on the CPU's SHA
     * extensions where present, Bouncy Castle's is pure Java. Bouncy Castle where SUN is absent.
     */
    static Provider digestProvider() {
        Provider sun = Security.getProvider("SUN");
        return sun != null ? sun : ensureRegistered();
    }

    static synchronized Provider ensureRegistered() {
        Provider existing = Security.getProvider(PROVIDER);
        if (existing != null) {
            return existing;
        }
        // Appended, not inserted first: the JDK's providers stay the default for everything else in James.
        Provider provider = new BouncyCastleProvider();
        Security.addProvider(provider);
        return provider;
    }
}
