package org.sealgate.bench.smtp;

import org.sealgate.node.NodeSettings;

/**
 * What the node under test does with the mail; each baseline is the same James without Sealgate's mailets, on the
 * same route. Outbound: the managed sender writes to {@link BenchFixture#RECIPIENT}; what the node knows about it
 * decides the method: an S/MIME certificate, only an OpenPGP public key, or no key at all (GINA, which runs the node
 * against a ZooKeeper); in {@link #PASSTHROUGH} nothing and no encryption requirement, so that Sealgate's pipeline
 * (limits, policy, audit, delivery) lets the mail through unprotected: what every mail costs before any crypto.
 * Inbound: the partner {@link BenchFixture#INBOUND_SENDER} writes to the managed
 * {@link BenchFixture#INBOUND_RECIPIENT} mail made ahead of the run by OpenSSL or GnuPG ({@link InboundMail}); the
 * node decrypts, verifies and tags it.
 */
public enum Scenario {
    BASELINE("baseline (relay-only)", NodeSettings.Pipeline.RELAY_ONLY, Protection.NONE, false, Load.PLAIN),
    ENCRYPT("S/MIME encrypt", NodeSettings.Pipeline.SEALGATE, Protection.SMIME, false, Load.PLAIN),
    SIGN_ENCRYPT("S/MIME sign + encrypt", NodeSettings.Pipeline.SEALGATE, Protection.SMIME, true, Load.PLAIN),
    PGP_ENCRYPT("OpenPGP encrypt", NodeSettings.Pipeline.SEALGATE, Protection.PGP, false, Load.PLAIN),
    GINA("GINA", NodeSettings.Pipeline.SEALGATE, Protection.GINA, false, Load.PLAIN),
    /** Not judged by {@code --goals} (the goals list is fixed): the pipeline's fixed cost, for profiles. */
    PASSTHROUGH("passthrough (pipeline, unprotected)", NodeSettings.Pipeline.SEALGATE, Protection.CLEAR, false,
        Load.PLAIN),
    INBOUND_BASELINE("inbound baseline (relay-only)", NodeSettings.Pipeline.RELAY_ONLY, Protection.NONE, false,
        Load.INBOUND_PLAIN),
    INBOUND_SMIME("inbound S/MIME decrypt + verify", NodeSettings.Pipeline.SEALGATE, Protection.NONE, false,
        Load.SMIME_SIGNED_ENCRYPTED),
    INBOUND_PGP("inbound OpenPGP decrypt + verify", NodeSettings.Pipeline.SEALGATE, Protection.NONE, false,
        Load.PGP_SIGNED_ENCRYPTED),
    INBOUND_SIGNED("inbound S/MIME signed (verify + tag)", NodeSettings.Pipeline.SEALGATE, Protection.NONE, false,
        Load.SMIME_SIGNED);

    /**
     * How the content reaches the sink (outbound scenarios; inbound mail reaches it opened). NONE: relayed without
     * Sealgate's pipeline (the baselines) or opened (inbound); CLEAR: through Sealgate's pipeline, whose policy sends
     * it unencrypted and unchanged.
     */
    public enum Protection { NONE, CLEAR, SMIME, PGP, GINA }

    /** What is submitted: the plain benchmark message (outbound or inbound), or inbound mail protected by a tool. */
    public enum Load {
        PLAIN(false), INBOUND_PLAIN(true), SMIME_SIGNED_ENCRYPTED(true), PGP_SIGNED_ENCRYPTED(true), SMIME_SIGNED(true);

        private final boolean inbound;

        Load(boolean inbound) {
            this.inbound = inbound;
        }

        public boolean inbound() {
            return inbound;
        }
    }

    private final String label;
    private final NodeSettings.Pipeline pipeline;
    private final Protection protection;
    private final boolean signs;
    private final Load load;

    Scenario(String label, NodeSettings.Pipeline pipeline, Protection protection, boolean signs, Load load) {
        this.label = label;
        this.pipeline = pipeline;
        this.protection = protection;
        this.signs = signs;
        this.load = load;
    }

    /** What the scenario's node receives (its baseline receives the same, {@link BenchFixture#create}). */
    public Load load() {
        return load;
    }

    public boolean inbound() {
        return load.inbound();
    }

    public String label() {
        return label;
    }

    public NodeSettings.Pipeline pipeline() {
        return pipeline;
    }

    public Protection protection() {
        return protection;
    }

    public boolean encrypts() {
        return protection != Protection.NONE && protection != Protection.CLEAR;
    }

    /** Whether {@code --goals} runs and judges it: every scenario but {@link #PASSTHROUGH}. */
    public boolean judgedByGoals() {
        return this != PASSTHROUGH;
    }

    public boolean signs() {
        return signs;
    }

    /** A relay-only baseline, run alternating with the scenarios that name it as theirs. */
    public boolean isBaseline() {
        return pipeline == NodeSettings.Pipeline.RELAY_ONLY;
    }

    /** The relay-only baseline of the same route (outbound or inbound) this scenario is compared with. */
    public Scenario baseline() {
        return isBaseline() ? this : inbound() ? INBOUND_BASELINE : BASELINE;
    }

    /**
     * Mails the node sends to the sender besides the load: GINA's first contact with the (single) recipient sends
     * the sender one first-password notice, in the scenario's first (warm-up) run.
     */
    public int firstContactNotices() {
        return protection == Protection.GINA ? 1 : 0;
    }

    /**
     * Policy ({@code policy.properties}): encryption required for the recipients' domain by the scenario's method
     * (passthrough: opportunistic, and the recipient has no key, so the policy sends it unencrypted), signing on or
     * off for the sender's domain. The GINA scenario's node reads its policy from ZooKeeper instead
     * ({@link GinaCluster#document()}).
     */
    public String policy() {
        String methods = switch (protection) {
            case PGP -> "domain." + BenchFixture.RECIPIENT_DOMAIN + ".methods = pgp\n";
            default -> "";
        };
        return "default.encrypt = opportunistic\n"
            + "default.sign = false\n"
            + "default.content-encryption = aes256-gcm\n"
            + "default.unencryptable = bounce\n"
            + (protection == Protection.CLEAR ? "" : "domain." + BenchFixture.RECIPIENT_DOMAIN + ".encrypt = required\n")
            + methods
            + "domain." + BenchFixture.MANAGED_DOMAIN + ".sign = " + signs + "\n";
    }
}
