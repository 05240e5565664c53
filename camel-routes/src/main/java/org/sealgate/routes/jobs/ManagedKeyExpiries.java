package org.sealgate.routes.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpManagedKey;

/** The managed users' certificates and OpenPGP keys that expire, from the node's key directories. */
public final class ManagedKeyExpiries {

    private ManagedKeyExpiries() {
    }

    public static Supplier<List<ExpiringKey>> of(KeyDirectory keys, PgpKeyDirectory pgpKeys) {
        return () -> {
            List<ExpiringKey> expiring = new ArrayList<>();
            for (ManagedIdentity identity : keys.managedIdentities()) {
                expiring.add(new ExpiringKey("S/MIME certificate", identity.address(),
                    Fingerprints.sha256(identity.certificate()), identity.certificate().getNotAfter().toInstant()));
            }
            for (PgpManagedKey managed : pgpKeys.managedKeys()) {
                PGPPublicKey primary = managed.key().getPrimaryKey().getPGPPublicKey();
                long validSeconds = primary.getValidSeconds();
                if (validSeconds > 0) { // 0: the key never expires
                    expiring.add(new ExpiringKey("OpenPGP key", managed.address(),
                        managed.fingerprint().toLowerCase(Locale.ROOT),
                        primary.getCreationTime().toInstant().plusSeconds(validSeconds)));
                }
            }
            return expiring;
        };
    }
}
