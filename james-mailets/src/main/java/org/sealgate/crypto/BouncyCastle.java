package org.sealgate.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one place that registers the Bouncy Castle provider; everything else asks for it by name. */
final class BouncyCastle {
    static final String PROVIDER = BouncyCastleProvider.PROVIDER_NAME;

    private BouncyCastle() {
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
