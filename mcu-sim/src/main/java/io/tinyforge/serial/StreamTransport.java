package io.tinyforge.serial;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A transport over a pair of streams, e.g. the stdin/stdout of a host-board firmware process. A daemon thread pumps
 * the input stream into a buffer so that reads can time out.
 */
public final class StreamTransport implements Transport {
  private static final int CAPACITY = 1 << 16;

  private final String description;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] ring = new byte[CAPACITY];
  private int head;
  private int count;
  private boolean ended;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Condition drained = lock.newCondition();

  public StreamTransport(String description, InputStream in, OutputStream out) {
    this.description = description;
    this.in = in;
    this.out = out;
    Thread pump = new Thread(this::pump, "transport reader " + description);
    pump.setDaemon(true);
    pump.start();
  }

  /** The stdin/stdout of a running process (stderr must be redirected elsewhere by the caller). */
  public static StreamTransport of(Process process, String description) {
    return new StreamTransport(description, process.getInputStream(), process.getOutputStream());
  }

  private void pump() {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        lock.lock();
        try {
          for (int i = 0; i < n; i++) {
            while (count == CAPACITY) {
              drained.await(); // back-pressure rather than losing bytes
            }
            ring[(head + count) % CAPACITY] = buf[i];
            count++;
          }
          arrived.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the other side has gone
    } finally {
      lock.lock();
      try {
        ended = true;
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void write(byte[] data) {
    try {
      out.write(data);
      out.flush();
    } catch (IOException e) {
      throw new TargetException(TargetException.Kind.CLOSED, description + " closed (" + e.getMessage() + ")");
    }
  }

  @Override
  public int read(byte[] buf, int timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    lock.lock();
    try {
      while (count == 0) {
        if (ended) {
          return -1;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return 0;
        }
        arrived.awaitNanos(left);
      }
      int n = Math.min(buf.length, count);
      for (int i = 0; i < n; i++) {
        buf[i] = ring[(head + i) % CAPACITY];
      }
      head = (head + n) % CAPACITY;
      count -= n;
      drained.signalAll();
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
