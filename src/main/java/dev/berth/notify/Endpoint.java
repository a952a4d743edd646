package dev.berth.notify;

import dev.berth.http.ContentEvent;
import dev.berth.http.OccasionalLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener that events are posted to, one at a time and in order, by a thread of its own: a request that fails
 * (no 2xx or 3xx answer within the timeout) is sent again until it succeeds, after {@code backoff} once
 * {@code threshold} attempts in a row have failed, as distribution retries. Events wait in a bounded queue, so that
 * a listener that is down costs a bounded amount of memory: once it is full, new events are dropped, with a
 * warning. Thread-safe.
 */
public final class Endpoint {

    /** Events waiting per endpoint: a few MiB at most (an event is about 1 KB). */
    static final int CAPACITY = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    private final String name;
    private final URI url;
    /** The URL, timeout and configured headers of every request. */
    private final HttpRequest.Builder template;
    private final int threshold;
    private final Duration backoff;
    private final Set<String> ignoredMediaTypes;
    private final Set<String> ignoredActions;
    private final BlockingQueue<byte[]> queue;
    private final HttpClient client;
    private final OccasionalLog drops = new OccasionalLog();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread sender;
    private volatile boolean closing;

    /**
     * @param ignoredMediaTypes events whose target has one of these media types are not sent
     * @param ignoredActions    events with one of these actions ({@code push}, {@code pull}, ...) are not sent
     */
    public Endpoint(String name, URI url, Map<String, List<String>> headers, Duration timeout, int threshold,
                    Duration backoff, Set<String> ignoredMediaTypes, Set<String> ignoredActions) {
        this(name, url, headers, timeout, threshold, backoff, ignoredMediaTypes, ignoredActions, CAPACITY);
    }

    Endpoint(String name, URI url, Map<String, List<String>> headers, Duration timeout, int threshold,
             Duration backoff, Set<String> ignoredMediaTypes, Set<String> ignoredActions, int capacity) {
        this.name = name;
        this.url = url;
        this.template = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", Envelope.MEDIA_TYPE);
        headers.forEach((header, values) -> values.forEach(value -> {
            try {
                template.header(header, value);
            } catch (IllegalArgumentException e) {
                LOG.warn("notification endpoint {}: header {} is not sent ({})", name, header, e.getMessage());
            }
        }));
        this.threshold = threshold;
        this.backoff = backoff;
        this.ignoredMediaTypes = Set.copyOf(ignoredMediaTypes);
        this.ignoredActions = Set.copyOf(ignoredActions);
        this.queue = new ArrayBlockingQueue<>(capacity);
        // HTTP/1.1: the client's default, HTTP/2, would ask plain listeners to upgrade
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.sender = Thread.ofVirtual().name("notify-" + name).start(this::send);
        LOG.info("sending notifications to {} ({}), timeout {} ms, threshold {}, backoff {} ms", name, url,
                timeout.toMillis(), threshold, backoff.toMillis());
    }

    /** Whether this endpoint is sent events like {@code content}. */
    boolean wants(ContentEvent content) {
        return !ignoredActions.contains(content.action().value())
                && content.mediaType().map(type -> !ignoredMediaTypes.contains(type)).orElse(true);
    }

    /** Queues an envelope for sending; drops it, with a warning, when the queue is full. */
    void offer(byte[] envelope) {
        if (!queue.offer(envelope)) {
            dropped.increment();
            drops.occurred(more -> LOG.warn("notification endpoint {} ({}) has {} events waiting: dropping new "
                    + "ones until it takes them{}", name, url, queue.size(), more));
        }
    }

    public String name() {
        return name;
    }

    /** Events waiting to be sent. */
    public long pending() {
        return queue.size();
    }

    /** Events the endpoint took. */
    public long sent() {
        return sent.sum();
    }

    /** Attempts to send an event that failed: each was sent again. */
    public long failures() {
        return failures.sum();
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    private void send() {
        try {
            while (!closing || !queue.isEmpty()) {
                byte[] envelope = queue.poll(100, TimeUnit.MILLISECONDS);
                if (envelope != null) {
                    deliver(envelope);
                }
            }
        } catch (InterruptedException e) {
            // closed, with events still waiting: counted by close
        }
    }

    private void deliver(byte[] envelope) throws InterruptedException {
        HttpRequest request = template.copy().POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build();
        for (int inARow = 0; ; inARow++) {
            if (inARow >= threshold) {
                if (inARow == threshold) {
                    LOG.warn("notification endpoint {} ({}) failed {} times in a row: trying again every {} ms",
                            name, url, inARow, backoff.toMillis());
                }
                Thread.sleep(backoff);
            }
            String failure;
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status < 400) {
                    sent.increment();
                    if (inARow > 0) {
                        LOG.info("notification endpoint {} ({}) took an event again after {} failures", name, url,
                                inARow);
                    }
                    return;
                }
                failure = "answered " + status;
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            }
            failures.increment();
            if (inARow == 0) {
                LOG.warn("notification endpoint {} ({}) failed: {}; sending the event again", name, url, failure);
            }
        }
    }

    /**
     * Stops taking events and sends those waiting, for up to {@code wait}; any still waiting then are dropped, with
     * a warning.
     */
    void close(Duration wait) {
        closing = true;
        try {
            if (!sender.join(wait)) {
                sender.interrupt();
                sender.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
        if (!queue.isEmpty()) {
            LOG.warn("notification endpoint {} ({}): {} events were not sent before the registry stopped", name,
                    url, queue.size());
        }
    }
}
