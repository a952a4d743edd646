package dev.berth.notify;

import dev.berth.http.ContentEvent;
import dev.berth.http.OccasionalLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener that events are posted to, one at a time and in order, by a thread of its own that also writes
 * them: a request that fails (no 2xx answer, nor a 3xx left to follow, within the timeout) is sent again until it
 * succeeds, after {@code backoff} once {@code threshold} attempts in a row have failed, as distribution retries.
 * Events wait in a queue bounded by the heap they hold, so that a listener that is down costs a bounded amount of
 * memory: once it is full, new events are dropped, with a warning. Thread-safe.
 */
public final class Endpoint {

    /**
     * Heap the events waiting for one endpoint may hold: some thousands of events, fewer when they list the
     * references of large manifests.
     */
    static final long MAX_QUEUED_BYTES = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    private final String name;
    /** The URL without credentials, as logs show it. */
    private final URI url;
    /** The URL, timeout and headers of every request. */
    private final HttpRequest.Builder template;
    private final int threshold;
    private final Duration backoff;
    private final Set<String> ignoredMediaTypes;
    private final Set<String> ignoredActions;
    private final Source source;
    private final long maxQueuedBytes;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final HttpClient client;
    private final OccasionalLog drops = new OccasionalLog();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread sender;
    private volatile boolean closing;
    /** Whether the sender holds an event it took from the queue and has not yet delivered. */
    private volatile boolean sending;

    /**
     * How to reach one listener, and which events it wants.
     *
     * @param url               where events are posted; credentials in it are sent as Basic authentication, unless
     *                          {@code headers} name an {@code Authorization} of their own (as distribution does)
     * @param timeout           how long one request may take to be answered
     * @param threshold         failures in a row after which sending waits {@code backoff} between attempts
     * @param ignoredMediaTypes events whose target has one of these media types are not sent
     * @param ignoredActions    events with one of these actions ({@code push}, {@code pull}, ...) are not sent
     */
    public record Settings(String name, URI url, Map<String, List<String>> headers, Duration timeout, int threshold,
                           Duration backoff, Set<String> ignoredMediaTypes, Set<String> ignoredActions) {
        public Settings {
            headers = Map.copyOf(headers);
            ignoredMediaTypes = Set.copyOf(ignoredMediaTypes);
            ignoredActions = Set.copyOf(ignoredActions);
        }
    }

    /** Starts the endpoint's sender. */
    public Endpoint(Settings settings, Source source) {
        this(settings, source, MAX_QUEUED_BYTES);
    }

    Endpoint(Settings settings, Source source, long maxQueuedBytes) {
        this.name = settings.name();
        this.url = withoutCredentials(settings.url());
        this.template = HttpRequest.newBuilder(this.url).timeout(settings.timeout())
                .header("Content-Type", Envelope.MEDIA_TYPE);
        settings.headers().forEach((header, values) -> values.forEach(value -> {
            try {
                template.header(header, value);
            } catch (IllegalArgumentException e) {
                LOG.warn("notification endpoint {}: header {} is not sent ({})", name, header, e.getMessage());
            }
        }));
        URI written = settings.url();
        if (written.getRawUserInfo() != null
                && settings.headers().keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            // percent-decoded only, as Go reads user info: a '+' stays a '+'
            template.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    written.getUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        this.threshold = settings.threshold();
        this.backoff = settings.backoff();
        this.ignoredMediaTypes = settings.ignoredMediaTypes();
        this.ignoredActions = settings.ignoredActions();
        this.source = source;
        this.maxQueuedBytes = maxQueuedBytes;
        // HTTP/1.1: the client's default, HTTP/2, would ask plain listeners to upgrade
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.sender = Thread.ofVirtual().name("notify-" + name).start(this::send);
        LOG.info("sending notifications to {} ({}), timeout {} ms, threshold {}, backoff {} ms", name, url,
                settings.timeout().toMillis(), threshold, backoff.toMillis());
    }

    /** {@code url} without its user info, the rest kept as written (escapes and all). */
    private static URI withoutCredentials(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + Objects.requireNonNullElse(url.getRawPath(), "")
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                + (url.getRawFragment() == null ? "" : "#" + url.getRawFragment()));
    }

    /** Whether this endpoint is sent events like {@code content}. */
    boolean wants(ContentEvent content) {
        return !ignoredActions.contains(content.action().value())
                && content.mediaType().map(type -> !ignoredMediaTypes.contains(type)).orElse(true);
    }

    /** Queues an event for sending; drops it, with a warning, when the queue holds all the heap it may. */
    void offer(Event event) {
        if (queuedBytes.addAndGet(event.heapBytes()) > maxQueuedBytes) {
            queuedBytes.addAndGet(-event.heapBytes());
            dropped.increment();
            drops.occurred(more -> LOG.warn("notification endpoint {} ({}) has {} events waiting: dropping new "
                    + "ones until it takes them{}", name, url, queue.size(), more));
            return;
        }
        queue.add(event);
    }

    public String name() {
        return name;
    }

    /** Events waiting to be sent, the one being sent (perhaps again and again) included. */
    public long pending() {
        return queue.size() + (sending ? 1 : 0);
    }

    /** Events the endpoint took. */
    public long sent() {
        return sent.sum();
    }

    /** Attempts to send an event that failed: each was sent again. */
    public long failures() {
        return failures.sum();
    }

    /** Events dropped because the queue was full, or the registry stopped before they were sent. */
    public long dropped() {
        return dropped.sum();
    }

    private void send() {
        try {
            while (!closing || !queue.isEmpty()) {
                Event event = queue.poll(100, TimeUnit.MILLISECONDS);
                if (event != null) {
                    sending = true;
                    try {
                        deliver(Envelope.of(event, source));
                        sending = false;
                    } catch (RuntimeException e) {
                        // one event that cannot be written must not end the sending of all the others
                        sending = false;
                        dropped.increment();
                        LOG.error("notification endpoint {} ({}): an event could not be sent", name, url, e);
                    } finally {
                        queuedBytes.addAndGet(-event.heapBytes());
                    }
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
                failure = post(request);
                if (failure.isEmpty()) {
                    sent.increment();
                    if (inARow > 0) {
                        LOG.info("notification endpoint {} ({}) took an event again after {} failures", name, url,
                                inARow);
                    }
                    return;
                }
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
     * Posts one envelope: empty when the listener took it, else why not. Only the status counts: the body is not
     * read (the timeout bounds the wait for the status only), and a listener that sends none leaves no sender
     * waiting for it. A 3xx still pointing elsewhere once the client has followed what it may is no success.
     */
    private String post(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        int status = response.statusCode();
        boolean redirectLeft = status / 100 == 3 && response.headers().firstValue("Location").isPresent();
        return status / 100 == 2 || status / 100 == 3 && !redirectLeft ? "" : "answered " + status;
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
        client.shutdownNow();
        long lost = pending();
        if (lost > 0) {
            dropped.add(lost);
            LOG.warn("notification endpoint {} ({}): {} events were not sent before the registry stopped", name,
                    url, lost);
        }
    }
}
