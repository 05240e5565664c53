package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcmEncryptionWarmUpTest {

    @Test
    void warmUpShouldStopAtItsBoundsAndRoundTripTheFirstEncryptionOfEveryBatch() {
        int bound = 3 * GcmEncryptionWarmUp.BATCH + 10;
        long millis = 1_500;

        GcmEncryptionWarmUp.Result result = GcmEncryptionWarmUp.run(bound, millis);

        int maxChecks = (int) (millis / GcmEncryptionWarmUp.CHECK_PAUSE_MILLIS) + 1;
        assertThat(result.checks()).isBetween(0, maxChecks);
        assertThat(result.encryptions()).isPositive()
            .isLessThanOrEqualTo(bound + result.checks() * GcmEncryptionWarmUp.CHECK_BATCH);
        int fullBatches = Math.min(result.encryptions(), bound);
        int batches = (fullBatches + GcmEncryptionWarmUp.BATCH - 1) / GcmEncryptionWarmUp.BATCH + result.checks();
        assertThat(result.verified()).isEqualTo(batches);
        assertThat(result.lastNanosPerByte()).isPositive();
        assertThat(result.millis()).isLessThan(millis + 2 * GcmEncryptionWarmUp.CHECK_PAUSE_MILLIS + 5_000);
    }

    @Test
    void warmUpShouldKeepCheckingInSmallBatchesAfterItsCountBoundUntilItsTimeBound() {
        // A count bound of one batch is reached long before the JIT compiles anything: what follows are checks.
        GcmEncryptionWarmUp.Result result = GcmEncryptionWarmUp.run(GcmEncryptionWarmUp.BATCH, 1_200);

        if (!result.reachedIntrinsicSpeed() || result.encryptions() > GcmEncryptionWarmUp.BATCH) {
            assertThat(result.checks()).isPositive();
            assertThat(result.encryptions())
                .isEqualTo(GcmEncryptionWarmUp.BATCH + result.checks() * GcmEncryptionWarmUp.CHECK_BATCH);
        }
        assertThat(result.verified()).isEqualTo(1 + result.checks());
    }

    @Test
    void warmUpShouldStopAtItsTimeBound() {
        GcmEncryptionWarmUp.Result result = GcmEncryptionWarmUp.run(Integer.MAX_VALUE, 0);

        assertThat(result.encryptions()).isZero();
        assertThat(result.reachedIntrinsicSpeed()).isFalse();
    }
}
