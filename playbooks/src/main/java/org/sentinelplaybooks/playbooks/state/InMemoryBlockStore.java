package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Blocks kept in memory: for the CLI without storage, where nothing needs to outlive the run. */
public final class InMemoryBlockStore implements BlockStore {
  private final Map<String, BlockRecord> blocks = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();

  private static String key(String target, String address) {
    return target + "|" + address;
  }

  private BlockRecord versioned(BlockRecord record, boolean lifting) {
    return new BlockRecord(
        record.target(),
        record.address(),
        record.expiresAt(),
        record.incidentId(),
        record.blockedAt(),
        lifting,
        Long.toString(versions.incrementAndGet()));
  }

  @Override
  public Optional<BlockRecord> get(String target, String address) {
    return Optional.ofNullable(blocks.get(key(target, address)));
  }

  @Override
  public Instant extend(BlockRecord wanted) {
    return blocks
        .compute(
            key(wanted.target(), wanted.address()),
            (key, current) -> {
              if (current == null || current.lifting()) {
                return versioned(wanted, false);
              }
              return wanted.expiresAt().isAfter(current.expiresAt())
                  ? versioned(wanted, false)
                  : current;
            })
        .expiresAt();
  }

  @Override
  public List<BlockRecord> expired(Instant now) {
    return blocks.values().stream().filter(b -> !b.expiresAt().isAfter(now)).toList();
  }

  @Override
  public Optional<BlockRecord> claim(BlockRecord read) {
    BlockRecord claimed = versioned(read, true);
    boolean replaced = blocks.replace(key(read.target(), read.address()), read, claimed);
    return replaced ? Optional.of(claimed) : Optional.empty();
  }

  @Override
  public boolean remove(BlockRecord claimed) {
    String key = key(claimed.target(), claimed.address());
    return blocks.remove(key, claimed) || !blocks.containsKey(key);
  }
}
