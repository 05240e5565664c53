package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcmEncryptionWarmUpTest {

    @Test
    void warmUpShouldStopAtItsBoundAndRoundTripTheFirstEncryptionOfEveryBatch() {
        int bound = 3 * GcmEncryptionWarmUp.BATCH + 10;

        GcmEncryptionWarmUp.Result result = GcmEncryptionWarmUp.run(bound, 120_000);

        assertThat(result.encryptions()).isPositive().isLessThanOrEqualTo(bound);
        int batches = (result.encryptions() + GcmEncryptionWarmUp.BATCH - 1) / GcmEncryptionWarmUp.BATCH;
        assertThat(result.verified()).isEqualTo(batches);
        assertThat(result.lastNanosPerByte()).isPositive();
    }

    @Test
    void warmUpShouldStopAtItsTimeBound() {
        GcmEncryptionWarmUp.Result result = GcmEncryptionWarmUp.run(Integer.MAX_VALUE, 0);

        assertThat(result.encryptions()).isZero();
        assertThat(result.reachedIntrinsicSpeed()).isFalse();
    }
}
