package dev.inlet.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fails a read that waits longer than the idle timeout for bytes. The JDK client has no read timeout for bodies,
 * so a watchdog interrupts the reading thread, but only while it is blocked inside {@link #read}.
 */
final class IdleTimeoutInputStream extends FilterInputStream {
  static final class IdleTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    IdleTimeoutException(String message) {
      super(message);
    }
  }

  private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

  private final long timeoutNanos;
  private final URI uri;
  private final Object lock = new Object();
  private Thread reader;
  private boolean timedOut;

  IdleTimeoutInputStream(InputStream in, Duration timeout, URI uri) {
    super(in);
    this.timeoutNanos = timeout.toNanos();
    this.uri = uri;
  }

  private static ScheduledThreadPoolExecutor watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "inlet-http-idle-watchdog");
          t.setDaemon(true);
          return t;
        });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    synchronized (lock) {
      if (timedOut) {
        throw timeout();
      }
      reader = Thread.currentThread();
    }
    ScheduledFuture<?> alarm = WATCHDOG.schedule(this::fire, timeoutNanos, TimeUnit.NANOSECONDS);
    IOException failure = null;
    int n = -1;
    boolean fired;
    try {
      n = in.read(buf, off, len);
    } catch (IOException e) {
      failure = e;
    } finally {
      alarm.cancel(false);
      synchronized (lock) {
        reader = null;
        fired = timedOut;
        if (fired) {
          Thread.interrupted(); // the interrupt was ours: clear it
        }
      }
    }
    if (fired) {
      closeQuietly();
      throw timeout();
    }
    if (failure != null) {
      throw failure;
    }
    return n;
  }

  private void fire() {
    synchronized (lock) {
      if (reader != null) {
        timedOut = true;
        reader.interrupt();
      }
    }
  }

  private IdleTimeoutException timeout() {
    return new IdleTimeoutException(
        "no bytes for " + Duration.ofNanos(timeoutNanos).toMillis() + " ms (idle timeout)");
  }

  private void closeQuietly() {
    try {
      in.close();
    } catch (IOException ignored) {
      // already failing with the timeout
    }
  }
}
