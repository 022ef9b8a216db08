package io.tinyforge.board;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes arriving from a blocking source (a pty, a process's stdout), pumped by a daemon thread into a ring buffer so
 * that every read can time out. A full buffer holds the pump back instead of dropping bytes. Shared by the serial
 * ports of the board layer and the transports of the verification protocol.
 */
public final class PumpedInput {
  /** A blocking read: bytes read into {@code buf}, or -1 at the end of the stream. */
  @FunctionalInterface
  public interface Source {
    int read(byte[] buf) throws IOException;
  }

  private final byte[] ring;
  private int head;
  private int count;
  private boolean ended;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Condition drained = lock.newCondition();

  /** Starts the pump thread, named {@code threadName}, reading {@code source} until it ends or fails. */
  public PumpedInput(Source source, int capacity, String threadName) {
    this.ring = new byte[capacity];
    Thread pump = new Thread(() -> pump(source), threadName);
    pump.setDaemon(true);
    pump.start();
  }

  private void pump(Source source) {
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = source.read(buf)) > 0) {
        lock.lock();
        try {
          for (int i = 0; i < n; i++) {
            while (count == ring.length) {
              drained.await();
            }
            ring[(head + count) % ring.length] = buf[i];
            count++;
          }
          arrived.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException | InterruptedException e) {
      // the other side has gone (QEMU closed the pty with EIO, the process ended, the port was closed)
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

  /**
   * Waits up to {@code timeoutNanos} for at least one byte, then returns what is buffered (up to len).
   * Returns 0 on timeout, -1 if the source has ended and nothing is left.
   */
  public int read(byte[] dst, int off, int len, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
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
      int n = Math.min(len, count);
      for (int i = 0; i < n; i++) {
        dst[off + i] = ring[(head + i) % ring.length];
      }
      head = (head + n) % ring.length;
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

  /** Puts bytes back in front so that the next read sees them again; ignored if they do not fit. */
  public void unread(byte[] bytes) {
    lock.lock();
    try {
      int n = bytes.length;
      if (n == 0 || count + n > ring.length) {
        return;
      }
      head = (head - n + ring.length) % ring.length;
      for (int i = 0; i < n; i++) {
        ring[(head + i) % ring.length] = bytes[i];
      }
      count += n;
    } finally {
      lock.unlock();
    }
  }

  /** True once the source has ended and every byte has been read. */
  public boolean isEnded() {
    lock.lock();
    try {
      return ended && count == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes received and not yet read. */
  public int available() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }
}
