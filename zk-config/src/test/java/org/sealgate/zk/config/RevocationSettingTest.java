package org.sealgate.zk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sealgate.policy.RevocationMode;

/** The per-domain {@code revocation} setting in the cluster document. */
class RevocationSettingTest {

    @Test
    void parseShouldReadTheRevocationModeAndDefaultItToPrefer() throws Exception {
        String document = Documents.valid("required").replace("  - name: legacy.example\n",
            "  - name: legacy.example\n    revocation: require\n");
        ClusterConfig config = ConfigDocument.parse(document).config();

        assertThat(config.domain("legacy.example").orElseThrow().revocation()).isEqualTo(RevocationMode.REQUIRE);
        assertThat(config.domain("example.com").orElseThrow().revocation()).isEqualTo(RevocationMode.PREFER);
        assertThat(ConfigDocument.parse(document.replace("revocation: require", "revocation: off")).config()
            .domain("legacy.example").orElseThrow().revocation()).isEqualTo(RevocationMode.OFF);
        assertThatThrownBy(() -> ConfigDocument.parse(document.replace("revocation: require", "revocation: maybe")))
            .hasMessageContaining("'revocation' must be one of [require, prefer, off], got 'maybe'");
    }
}
