package org.sealgate.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DirectMappedMemoTest {
    /** Keys whose hash is chosen: distinct keys in one slot. */
    private record Key(String name, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void getShouldComputeOnceForEqualKeys() {
        DirectMappedMemo<String, String> memo = new DirectMappedMemo<>(16);
        AtomicInteger computed = new AtomicInteger();

        String first = memo.get(new String("a@b"), k -> k.toUpperCase() + computed.incrementAndGet());
        String second = memo.get("a@b", k -> k.toUpperCase() + computed.incrementAndGet());

        assertThat(first).isEqualTo("A@B1").isSameAs(second);
        assertThat(computed).hasValue(1);
    }

    @Test
    void getShouldNeverAnswerAKeyWithTheValueOfAnotherKeyInItsSlot() {
        DirectMappedMemo<Key, String> memo = new DirectMappedMemo<>(4);
        Key one = new Key("one", 7);
        Key other = new Key("other", 7);

        assertThat(memo.get(one, Key::name)).isEqualTo("one");
        assertThat(memo.get(other, Key::name)).as("same slot, different key").isEqualTo("other");
        assertThat(memo.get(one, Key::name)).isEqualTo("one");
    }

    @Test
    void memoShouldStayAtItsSizeWhateverTheNumberOfKeys() {
        DirectMappedMemo<Integer, Integer> memo = new DirectMappedMemo<>(8);
        AtomicInteger computed = new AtomicInteger();
        for (int key = 0; key < 1000; key++) {
            memo.get(key, k -> computed.incrementAndGet());
        }
        for (int key = 992; key < 1000; key++) {
            memo.get(key, k -> computed.incrementAndGet());
        }

        assertThat(memo.slots()).isEqualTo(8);
        assertThat(computed).as("the last eight keys (one per slot) are still there").hasValue(1000);
    }

    @Test
    void constructorShouldRefuseASizeThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new DirectMappedMemo<>(100)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new DirectMappedMemo<>(0)).hasMessageContaining("power of two");
    }
}
