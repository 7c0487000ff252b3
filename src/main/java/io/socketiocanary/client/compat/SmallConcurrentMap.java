package io.socketiocanary.client.compat;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link ConcurrentMap} for a handful of entries, in one array: keys and values alternate in it,
 * each write replaces the array (copy-on-write, under this map's lock), reads take no lock.
 *
 * <p>Why: the client library gives every emitter (Manager, Socket, engine, transport) a
 * {@code ConcurrentHashMap} from event name to listeners, about six entries each, written while a
 * connection is set up and read on every packet. A {@code ConcurrentHashMap} of six costs about
 * 340 bytes (the map, a 16-slot table, a node per entry); this one 80. See
 * {@link CompactEmitterMaps}.
 *
 * <p>Lookups compare keys by identity first (event names are string constants, the same instance
 * at registration and at every emit), then by {@code equals}. Null keys and values are refused,
 * as {@code ConcurrentHashMap} refuses them. Iterators and {@link #entrySet()} see a snapshot;
 * removing through them removes the entry from the map if it still holds the same value.
 *
 * <p>Thread-safe. Meant for small maps: every write copies the whole array.
 */
final class SmallConcurrentMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {
  private static final Object[] EMPTY = {};

  /** k0, v0, k1, v1, …; never mutated once published. */
  private volatile Object[] entries = EMPTY;

  SmallConcurrentMap() {}

  /** A copy of {@code source} (a snapshot when {@code source} is itself being written). */
  SmallConcurrentMap(Map<? extends K, ? extends V> source) {
    putAll(source);
  }

  private static int indexOf(Object[] a, Object key) {
    for (int i = 0; i < a.length; i += 2) {
      if (a[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < a.length; i += 2) {
      if (a[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return entries.length >> 1;
  }

  @Override
  public boolean isEmpty() {
    return entries.length == 0;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(entries, Objects.requireNonNull(key)) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    Object[] a = entries;
    int i = indexOf(a, Objects.requireNonNull(key));
    return i < 0 ? null : (V) a[i + 1];
  }

  @Override
  public synchronized V put(K key, V value) {
    return write(key, value, true);
  }

  @Override
  public synchronized V putIfAbsent(K key, V value) {
    return write(key, value, false);
  }

  @SuppressWarnings("unchecked")
  private V write(K key, V value, boolean overwrite) {
    Objects.requireNonNull(key);
    Objects.requireNonNull(value);
    Object[] a = entries;
    int i = indexOf(a, key);
    if (i >= 0) {
      V old = (V) a[i + 1];
      if (overwrite && old != value) {
        Object[] b = a.clone();
        b[i + 1] = value;
        entries = b;
      }
      return old;
    }
    Object[] b = Arrays.copyOf(a, a.length + 2);
    b[a.length] = key;
    b[a.length + 1] = value;
    entries = b;
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized V remove(Object key) {
    Object[] a = entries;
    int i = indexOf(a, Objects.requireNonNull(key));
    if (i < 0) {
      return null;
    }
    V old = (V) a[i + 1];
    entries = without(a, i);
    return old;
  }

  @Override
  public synchronized boolean remove(Object key, Object value) {
    Object[] a = entries;
    int i = indexOf(a, Objects.requireNonNull(key));
    if (i < 0 || value == null || !a[i + 1].equals(value)) {
      return false;
    }
    entries = without(a, i);
    return true;
  }

  private static Object[] without(Object[] a, int i) {
    if (a.length == 2) {
      return EMPTY;
    }
    Object[] b = new Object[a.length - 2];
    System.arraycopy(a, 0, b, 0, i);
    System.arraycopy(a, i + 2, b, i, a.length - i - 2);
    return b;
  }

  @Override
  public synchronized boolean replace(K key, V oldValue, V newValue) {
    Objects.requireNonNull(oldValue);
    Objects.requireNonNull(newValue);
    Object[] a = entries;
    int i = indexOf(a, Objects.requireNonNull(key));
    if (i < 0 || !a[i + 1].equals(oldValue)) {
      return false;
    }
    Object[] b = a.clone();
    b[i + 1] = newValue;
    entries = b;
    return true;
  }

  @Override
  public synchronized V replace(K key, V value) {
    Objects.requireNonNull(value);
    return containsKey(key) ? write(key, value, true) : null;
  }

  @Override
  public synchronized void clear() {
    entries = EMPTY;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Snapshot(entries);
      }

      @Override
      public int size() {
        return SmallConcurrentMap.this.size();
      }
    };
  }

  /** Iterates the array as it was when the iterator was made. */
  private final class Snapshot implements Iterator<Map.Entry<K, V>> {
    private final Object[] a;
    private int next;
    private Map.Entry<K, V> last;

    Snapshot(Object[] a) {
      this.a = a;
    }

    @Override
    public boolean hasNext() {
      return next < a.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map.Entry<K, V> next() {
      if (next >= a.length) {
        throw new NoSuchElementException();
      }
      last = new SimpleImmutableEntry<>((K) a[next], (V) a[next + 1]);
      next += 2;
      return last;
    }

    @Override
    public void remove() {
      if (last == null) {
        throw new IllegalStateException();
      }
      SmallConcurrentMap.this.remove(last.getKey(), last.getValue());
      last = null;
    }
  }
}
