package org.sealgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The alternation itself (not speed): A and B take turns, the warm-up round is dropped, the ratio is A's speed ÷ B's. */
class AlternatingRoundsTest {
    @Test
    void roundsShouldAlternateAThenBAndDropTheFirstRound() throws Exception {
        List<String> order = new ArrayList<>();

        AlternatingRounds.Result result = AlternatingRounds.measure(() -> order.add("a"), () -> order.add("b"), 4, 2);

        assertThat(order).containsExactly("a", "a", "b", "b", "a", "a", "b", "b", "a", "a", "b", "b", "a", "a", "b", "b");
        assertThat(result.rounds()).isEqualTo(3);
    }

    @Test
    void operationTwiceAsCostlyOnTheBSideShouldGiveARatioNearTwo() throws Exception {
        AlternatingRounds.Result result = AlternatingRounds.measure(() -> Thread.sleep(5), () -> Thread.sleep(10), 4, 3);

        assertThat(result.ratio()).isBetween(1.3, 2.5);
        assertThat(result.min()).isLessThanOrEqualTo(result.ratio());
        assertThat(result.max()).isGreaterThanOrEqualTo(result.ratio());
    }

    @Test
    void fewerThanTwoRoundsShouldBeRefused() {
        assertThatThrownBy(() -> AlternatingRounds.measure(() -> { }, () -> { }, 1, 5))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
