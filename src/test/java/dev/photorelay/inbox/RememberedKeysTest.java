package dev.photorelay.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RememberedKeysTest {

    @Test
    void aKeyIsAddedOnceAndRemembersUntilRemoved() {
        RememberedKeys keys = new RememberedKeys(10);

        assertThat(keys.add("a")).isTrue();
        assertThat(keys.add("a")).isFalse();
        assertThat(keys.contains("a")).isTrue();
        assertThat(keys.remove("a")).isTrue();
        assertThat(keys.contains("a")).isFalse();
        assertThat(keys.add("a")).isTrue();
    }

    @Test
    void pastItsLimitTheOldestKeyIsForgotten() {
        RememberedKeys keys = new RememberedKeys(3);
        keys.add("1");
        keys.add("2");
        keys.add("3");
        keys.add("4");

        assertThat(keys.contains("1")).isFalse();
        assertThat(keys.contains("2")).isTrue();
        assertThat(keys.contains("4")).isTrue();
    }

    @Test
    void manyMoreKeysThanItsLimitComeAndGoWithoutLosingTrack() {
        // Camel's MemoryIdempotentRepository is where this used to slow down (keys seen > twice its size)
        RememberedKeys keys = new RememberedKeys(100);
        for (int i = 0; i < 100_000; i++) {
            assertThat(keys.add("photo-" + i)).isTrue();
            if (i % 2 == 0) {
                keys.remove("photo-" + i);
            }
        }
        assertThat(keys.contains("photo-99999")).isTrue();
        assertThat(keys.contains("photo-99998")).isFalse();
        assertThat(keys.contains("photo-1")).isFalse();
    }
}
