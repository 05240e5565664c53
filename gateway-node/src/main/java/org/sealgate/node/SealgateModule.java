package org.sealgate.node;

import org.apache.james.utils.GuiceProbe;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.SmsGateway;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.mailets.RecipientDiscovery;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.revocation.RevocationChecker;
import org.sealgate.smtp.DrainSwitch;

import com.google.inject.multibindings.Multibinder;

import com.google.inject.AbstractModule;

/** What Sealgate's mailets and matchers get injected inside James. */
final class SealgateModule extends AbstractModule {
    private final KeyDirectory keys;
    private final PgpKeyDirectory pgpKeys;
    private final PolicyProvider policy;
    private final AuditPublisher audit;
    private final GinaBackend gina;
    private final SmsGateway sms;
    private final DrainSwitch drain;
    private final DiscoveredKeyStore discovered;
    private final RecipientDiscovery discovery;
    private final RevocationChecker revocation;

    SealgateModule(KeyDirectory keys, PgpKeyDirectory pgpKeys, PolicyProvider policy, AuditPublisher audit, GinaBackend gina,
                   SmsGateway sms, DrainSwitch drain, DiscoveredKeyStore discovered, RecipientDiscovery discovery,
                   RevocationChecker revocation) {
        this.keys = keys;
        this.pgpKeys = pgpKeys;
        this.policy = policy;
        this.audit = audit;
        this.gina = gina;
        this.sms = sms;
        this.drain = drain;
        this.discovered = discovered;
        this.discovery = discovery;
        // One live revocation checker per node (its CRL and OCSP caches), shared by encryption and verification.
        this.revocation = revocation;
    }

    /** The node's revocation checker, for the scheduled CRL refresh ({@link RevocationChecker#refreshDue()}). */
    RevocationChecker revocation() {
        return revocation;
    }

    @Override
    protected void configure() {
        bind(KeyDirectory.class).toInstance(keys);
        bind(PolicyProvider.class).toInstance(policy);
        bind(AuditPublisher.class).toInstance(audit);
        bind(SmimeCrypto.class).toInstance(new SmimeCrypto());
        bind(PgpCrypto.class).toInstance(new PgpCrypto());
        bind(PgpKeyDirectory.class).toInstance(pgpKeys);
        bind(GinaBackend.class).toInstance(gina);
        bind(SmsGateway.class).toInstance(sms);
        bind(KeyHarvester.class).toInstance(new KeyHarvester(keys, pgpKeys, audit));
        bind(RevocationChecker.class).toInstance(revocation);
        // The SMTP server's DrainGate and the admin endpoint share this switch; QueueProbe reads the queues for it.
        bind(DrainSwitch.class).toInstance(drain);
        // Key discovery reaches the policy engine (ApplyPolicy) and the recipient selections through these two.
        bind(DiscoveredKeyStore.class).toInstance(discovered);
        bind(RecipientDiscovery.class).toInstance(discovery);
        Multibinder.newSetBinder(binder(), GuiceProbe.class).addBinding().to(QueueProbe.class);
    }
}
