package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The blocks {@code block-ip} made, each with its expiry, so that they can be lifted. */
public interface BlockStore {
  Optional<BlockRecord> get(String target, String address);

  /** Adds or replaces the record of one address at one target. */
  void put(BlockRecord block);

  /** The blocks whose expiry is at or before {@code now}, all targets. */
  List<BlockRecord> expired(Instant now);

  /** Every block recorded, expired or not, for {@code status}. */
  List<BlockRecord> all();

  /** Removes the record if it is still the one read (a block renewed meanwhile stays). */
  void remove(BlockRecord block);
}
