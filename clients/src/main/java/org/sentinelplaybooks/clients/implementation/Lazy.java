package org.sentinelplaybooks.clients.implementation;

import java.util.Objects;
import java.util.function.Supplier;

/** A value built on first use, once, whichever thread asks first; it may be null. */
public final class Lazy<T> implements Supplier<T> {
  private Supplier<? extends T> factory;
  private T value;

  public Lazy(Supplier<? extends T> factory) {
    this.factory = Objects.requireNonNull(factory);
  }

  @Override
  public synchronized T get() {
    if (factory != null) {
      value = factory.get();
      factory = null;
    }
    return value;
  }
}
