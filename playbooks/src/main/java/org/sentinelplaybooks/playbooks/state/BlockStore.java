package org.sentinelplaybooks.playbooks.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The blocks {@code block-ip} made, each with its expiry, so that they can be lifted. Every change
 * is conditional on the version read (ETag), so a block-ip run and an expire-blocks run that meet
 * on one address never undo each other.
 */
public interface BlockStore {
  /** How often a change that lost a race is redone from a fresh read before it gives up. */
  int MAX_TRIES = 8;

  Optional<BlockRecord> get(String target, String address);

  /**
   * Records that the address is blocked (or about to be) until {@code wanted.expiresAt()}: creates
   * the record, or moves its expiry later, never earlier; a record being lifted is taken back
   * (which makes the lift's {@link #remove} fail). Redone from a fresh read when another writer got
   * there first.
   *
   * @return the expiry now recorded: {@code wanted}'s, or a later one already there
   * @throws IllegalStateException when it keeps losing races
   */
  Instant extend(BlockRecord wanted);

  /** The blocks whose expiry is at or before {@code now}, all targets, with their etags. */
  List<BlockRecord> expired(Instant now);

  /**
   * Marks the record as being lifted, if it is still the version read; the claimed record (with its
   * new etag), or empty when it was renewed or removed meanwhile.
   */
  Optional<BlockRecord> claim(BlockRecord read);

  /**
   * Removes the record if it is still the version given; false when it was renewed meanwhile (a
   * record already gone counts as removed).
   */
  boolean remove(BlockRecord claimed);
}
