package dev.inlet.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Streams a response body as an {@link InputStream} whose reads fail after an idle timeout. The JDK's
 * {@code BodyHandlers.ofInputStream()} blocks forever on a stalled body and ignores interrupts, so this one polls
 * its own queue. Requests one chunk list ahead: memory stays bounded by the client's buffers.
 */
final class StreamingBodySubscriber implements HttpResponse.BodySubscriber<InputStream> {
  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(String message) {
      super(message);
    }
  }

  private static final Object END = new Object();

  private record Failure(Throwable cause) {}

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final long idleNanos;
  private final Body body = new Body();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  /** @param idleTimeout zero waits forever */
  StreamingBodySubscriber(Duration idleTimeout) {
    this.idleNanos = idleTimeout.toNanos();
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(body);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    queue.add(new Failure(throwable));
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  private void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private final class Body extends InputStream {
    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean done;
    private boolean closed;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (len == 0) {
        return 0;
      }
      while (current == null || !current.hasRemaining()) {
        if (buffers.hasNext()) {
          current = buffers.next();
          continue;
        }
        if (done) {
          return -1;
        }
        next();
      }
      int n = Math.min(len, current.remaining());
      current.get(b, off, n);
      return n;
    }

    @SuppressWarnings("unchecked")
    private void next() throws IOException {
      Object item;
      try {
        item = idleNanos > 0 ? queue.poll(idleNanos, TimeUnit.NANOSECONDS) : queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancel();
        throw new InterruptedIOException("interrupted while reading the body");
      }
      if (item == null) {
        cancel();
        throw new IdleTimeoutException(
            "no bytes for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms (idle timeout)");
      }
      if (item == END) {
        done = true;
        return;
      }
      if (item instanceof Failure f) {
        done = true;
        Throwable t = f.cause();
        throw t instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(t);
      }
      buffers = ((List<ByteBuffer>) item).iterator();
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(1); // one list ahead
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        if (!done) {
          cancel();
        }
        queue.clear();
      }
    }
  }
}
