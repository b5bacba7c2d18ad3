package dev.rdsbackup.http.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.rdsbackup.http.HttpApiRequest;
import dev.rdsbackup.http.HttpApiResponse;
import dev.rdsbackup.http.HttpRefusal;
import dev.rdsbackup.http.RdsApiHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts {@link RdsApiHandler} to the JDK's {@code com.sun.net.httpserver}: reads at most the body limit (a
 * larger body is refused with 413 and the connection closed, unread), sends the answer as it is, and counts the
 * exchanges in flight so the server can stop cleanly. Once stopping, new exchanges get 503 and
 * {@code Connection: close}.
 */
public final class JdkExchangeHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(JdkExchangeHandler.class);

    private final RdsApiHandler handler;
    private final int maxBodyBytes;
    // Counted without a lock: every request passes here, and a lock taken twice per request by many request threads
    // on few cores makes a convoy whenever its holder is preempted. The lock only guards the wait for the drain.
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private volatile boolean stopping;

    /**
     * Creates the adapter.
     *
     * @param handler the handler to call
     */
    public JdkExchangeHandler(RdsApiHandler handler) {
        this.handler = handler;
        this.maxBodyBytes = handler.limits().maxBodyBytes();
    }

    @Override
    public void handle(HttpExchange exchange) {
        // Counted before stopping is read, and stopAndAwait sets stopping before it reads the count: either this
        // exchange sees stopping and is refused, or the stop sees it in flight and waits for it.
        inFlight.incrementAndGet();
        boolean admitted = !stopping;
        if (!admitted) {
            leave();
        }
        try (exchange) {
            if (!admitted) {
                send(exchange, handler.refuse(HttpRefusal.SHUTTING_DOWN), true);
                return;
            }
            try {
                serve(exchange);
            } finally {
                leave();
            }
        } catch (IOException e) {
            LOG.debug("exchange ended early: {}", e.getClass().getSimpleName());
        }
    }

    /** One exchange fewer in flight; wakes a stop waiting for the last one. */
    private void leave() {
        if (inFlight.decrementAndGet() == 0 && stopping) {
            lock.lock();
            try {
                drained.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && tooLong(declared)) {
            send(exchange, handler.refuse(HttpRefusal.PAYLOAD_TOO_LARGE), true);
            return;
        }
        byte[] body = readAtMost(exchange.getRequestBody(), maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            send(exchange, handler.refuse(HttpRefusal.PAYLOAD_TOO_LARGE), true);
            return;
        }
        URI uri = exchange.getRequestURI();
        HttpApiRequest request = new HttpApiRequest(exchange.getRequestMethod(),
                uri.getRawPath() == null ? "" : uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders(), body);
        send(exchange, handler.handle(request), false);
    }

    private boolean tooLong(String declared) {
        String d = declared.trim();
        return d.length() > 10 || !d.chars().allMatch(Character::isDigit) || Long.parseLong(d) > maxBodyBytes;
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] buf = new byte[Math.min(max, 8192)];
        int n = 0;
        while (n < max) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(max, buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static void send(HttpExchange exchange, HttpApiResponse response, boolean close) throws IOException {
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            exchange.getResponseHeaders().set(h.getKey(), h.getValue());
        }
        if (close) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        byte[] body = response.body();
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (body.length == 0 || head) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Refuses new exchanges from now on and waits for those in flight to end.
     *
     * @param timeout the longest wait
     * @return {@code true} if none is left in flight
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean stopAndAwait(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        stopping = true;
        lock.lock();
        try {
            while (inFlight.get() > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = drained.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
