package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RandomDataTest {

    private static byte[] bytes(RandomData random, int size) {
        byte[] content = new byte[size];
        random.fill(MemorySegment.ofArray(content));
        return content;
    }

    @Test
    void theSameSeedGivesTheSameContent() {
        assertThat(bytes(new RandomData(42), 1000)).isEqualTo(bytes(new RandomData(42), 1000));
    }

    @Test
    void everyBlobOfARunIsNew() {
        RandomData random = new RandomData(42);
        byte[] first = bytes(random, 4096);
        byte[] second = bytes(random, 4096);
        assertThat(first).isNotEqualTo(second);
        assertThat(Checks.sha256(first)).isNotEqualTo(Checks.sha256(second));
    }

    @Test
    void runsDifferFromEachOther() {
        assertThat(bytes(new RandomData(), 64)).isNotEqualTo(bytes(new RandomData(), 64));
        assertThat(new RandomData().id()).isNotEqualTo(new RandomData().id()).matches("[0-9a-f]{10}");
    }

    @Test
    void fillsSizesThatAreNotMultiplesOfEight() {
        byte[] content = bytes(new RandomData(7), 1003);
        assertThat(content).hasSize(1003);
        // the tail is random too, not left zero
        int nonZero = 0;
        for (int i = 1000; i < 1003; i++) {
            nonZero += content[i] != 0 ? 1 : 0;
        }
        assertThat(nonZero).isPositive();
    }

    @Test
    void looksRandom() {
        byte[] content = bytes(new RandomData(1), 1 << 20);
        int[] counts = new int[256];
        for (byte b : content) {
            counts[b & 0xff]++;
        }
        // 4096 expected per value; a broken generator (zeros, repeats) is far outside this
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isGreaterThan(3500);
        assertThat(java.util.Arrays.stream(counts).max().orElseThrow()).isLessThan(4700);
    }

    @Test
    void offHeapBuffersAreFilledWhole() {
        try (Arena arena = Arena.ofConfined()) {
            ByteBuffer buffer = new RandomData(3).offHeap(arena, 1 << 16);
            assertThat(buffer.remaining()).isEqualTo(1 << 16);
            assertThat(buffer.isDirect()).isTrue();
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            assertThat(Checks.sha256(buffer)).isEqualTo(Checks.sha256(copy));
        }
    }
}
