package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * A second thread that Jetty sends to read a connection waits for the first: here the first is held inside its read
 * of the socket while the second starts.
 */
class SerialHttpConnectionsTest {

    @Test
    void aSecondReaderWaitsUntilTheFirstHasLeft() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint() {
            @Override
            public int fill(ByteBuffer buffer) throws InterruptedIOException {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                firstInside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                } finally {
                    inside.decrementAndGet();
                }
                return -1; // the client closed
            }
        };
        AbstractConnection connection = (AbstractConnection) new SerialHttpConnections(new HttpConfiguration())
                .newConnection(new ServerConnector(new Server()), endPoint);
        endPoint.setConnection(connection);

        Thread first = Thread.ofPlatform().start(connection::onFillable);
        assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
        Thread second = Thread.ofPlatform().start(connection::onFillable);
        // parked, on the connection's lock (or, were there none, in the read beside the first)
        for (int i = 0; i < 1_000 && second.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(10);
        }
        assertThat(second.getState()).isEqualTo(Thread.State.WAITING);
        release.countDown();
        first.join(10_000);
        second.join(10_000);

        assertThat(first.isAlive() || second.isAlive()).isFalse();
        assertThat(mostInside).hasValue(1);
    }
}
