package org.sealgate.bench.smtp;

import org.sealgate.node.NodeSettings;

/** What the node under test does with the mail; the baseline is the same James without Sealgate's mailets. */
public enum Scenario {
    BASELINE("baseline (relay-only)", NodeSettings.Pipeline.RELAY_ONLY, false, false),
    ENCRYPT("S/MIME encrypt", NodeSettings.Pipeline.SEALGATE, true, false),
    SIGN_ENCRYPT("S/MIME sign + encrypt", NodeSettings.Pipeline.SEALGATE, true, true);

    private final String label;
    private final NodeSettings.Pipeline pipeline;
    private final boolean encrypts;
    private final boolean signs;

    Scenario(String label, NodeSettings.Pipeline pipeline, boolean encrypts, boolean signs) {
        this.label = label;
        this.pipeline = pipeline;
        this.encrypts = encrypts;
        this.signs = signs;
    }

    public String label() {
        return label;
    }

    public NodeSettings.Pipeline pipeline() {
        return pipeline;
    }

    public boolean encrypts() {
        return encrypts;
    }

    public boolean signs() {
        return signs;
    }

    /** Policy: encryption required for the recipients' domain, signing on or off for the sender's domain. */
    public String policy() {
        return "default.encrypt = opportunistic\n"
            + "default.sign = false\n"
            + "default.content-encryption = aes256-gcm\n"
            + "default.unencryptable = bounce\n"
            + "domain." + BenchFixture.RECIPIENT_DOMAIN + ".encrypt = required\n"
            + "domain." + BenchFixture.MANAGED_DOMAIN + ".sign = " + signs + "\n";
    }
}
