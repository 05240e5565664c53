package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcmWarmUpTest {

    @Test
    void warmUpShouldRunEveryDecryptionThroughTheTagCheck() {
        assertThat(GcmWarmUp.run()).isEqualTo(GcmWarmUp.DECRYPTIONS);
    }
}
