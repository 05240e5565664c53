package org.sealgate.bench.smtp;

import org.sealgate.node.NodeSettings;

/**
 * What the node under test does with the mail; the baseline is the same James without Sealgate's mailets. The
 * recipient is always {@link BenchFixture#RECIPIENT}; what the node knows about it decides the method: an S/MIME
 * certificate, only an OpenPGP public key, or no key at all (GINA, which runs the node against a ZooKeeper).
 */
public enum Scenario {
    BASELINE("baseline (relay-only)", NodeSettings.Pipeline.RELAY_ONLY, Protection.NONE, false),
    ENCRYPT("S/MIME encrypt", NodeSettings.Pipeline.SEALGATE, Protection.SMIME, false),
    SIGN_ENCRYPT("S/MIME sign + encrypt", NodeSettings.Pipeline.SEALGATE, Protection.SMIME, true),
    PGP_ENCRYPT("OpenPGP encrypt", NodeSettings.Pipeline.SEALGATE, Protection.PGP, false),
    GINA("GINA", NodeSettings.Pipeline.SEALGATE, Protection.GINA, false);

    /** How the content reaches the sink. */
    public enum Protection { NONE, SMIME, PGP, GINA }

    private final String label;
    private final NodeSettings.Pipeline pipeline;
    private final Protection protection;
    private final boolean signs;

    Scenario(String label, NodeSettings.Pipeline pipeline, Protection protection, boolean signs) {
        this.label = label;
        this.pipeline = pipeline;
        this.protection = protection;
        this.signs = signs;
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
        return protection != Protection.NONE;
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
        return isBaseline() ? this : BASELINE;
    }

    /**
     * Mails the node sends to the sender besides the load: GINA's first contact with the (single) recipient sends
     * the sender one first-password notice, in the scenario's first (warm-up) run.
     */
    public int firstContactNotices() {
        return protection == Protection.GINA ? 1 : 0;
    }

    /**
     * Policy ({@code policy.properties}): encryption required for the recipients' domain by the scenario's method,
     * signing on or off for the sender's domain. The GINA scenario's node reads its policy from ZooKeeper instead
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
            + "domain." + BenchFixture.RECIPIENT_DOMAIN + ".encrypt = required\n"
            + methods
            + "domain." + BenchFixture.MANAGED_DOMAIN + ".sign = " + signs + "\n";
    }
}
