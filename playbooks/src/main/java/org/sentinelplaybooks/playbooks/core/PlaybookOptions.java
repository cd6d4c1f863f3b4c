package org.sentinelplaybooks.playbooks.core;

import java.util.Optional;

/**
 * A playbook's options, checked: built from the request body by the playbook, or directly by the
 * CLI from its flags. Bad input is refused while the record is built, naming the body field.
 */
public interface PlaybookOptions {
  /** The playbook these options are for, e.g. {@code close-incident}. */
  String playbook();

  /** Text as an option takes it, from a body or a flag: trimmed, and blank is absent. */
  static Optional<String> given(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
