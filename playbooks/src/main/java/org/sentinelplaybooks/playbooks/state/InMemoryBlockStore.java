package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Blocks kept in memory: for the CLI without storage, where nothing needs to outlive the run. */
public final class InMemoryBlockStore implements BlockStore {
  private final Map<String, BlockRecord> blocks = new ConcurrentHashMap<>();

  private static String key(String target, String address) {
    return target + "|" + address;
  }

  @Override
  public Optional<BlockRecord> get(String target, String address) {
    return Optional.ofNullable(blocks.get(key(target, address)));
  }

  @Override
  public void put(BlockRecord block) {
    blocks.put(key(block.target(), block.address()), block);
  }

  @Override
  public List<BlockRecord> expired(Instant now) {
    return blocks.values().stream().filter(b -> !b.expiresAt().isAfter(now)).toList();
  }

  @Override
  public List<BlockRecord> all() {
    return List.copyOf(blocks.values());
  }

  @Override
  public void remove(BlockRecord block) {
    blocks.remove(key(block.target(), block.address()), block);
  }
}
