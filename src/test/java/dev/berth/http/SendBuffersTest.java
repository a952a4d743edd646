package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendBuffersTest {

    @Test
    void grantsWhatIsAskedWithinTheBudgetAndSmallBuffersBeyondIt() {
        SendBuffers buffers = new SendBuffers(1 << 20);

        assertThat(buffers.reserve(512 * 1024)).isEqualTo(512 * 1024);
        assertThat(buffers.reserve(512 * 1024)).isEqualTo(512 * 1024);
        assertThat(buffers.reserve(512 * 1024)).isEqualTo(SendBuffers.SMALL);
        assertThat(buffers.reserve(1024)).isEqualTo(1024);

        buffers.release(512 * 1024);
        assertThat(buffers.reserve(512 * 1024)).isEqualTo(SendBuffers.SMALL);
        buffers.release(SendBuffers.SMALL);
        buffers.release(SendBuffers.SMALL);
        buffers.release(1024);
        assertThat(buffers.reserve(512 * 1024)).isEqualTo(512 * 1024);
    }
}
