package org.sentinelplaybooks.clients.servicenow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncodedQueryTest {
  @Test
  void conditionsAreJoinedWithAnd() {
    assertEquals(
        "correlation_id=63883bf7-5be1-42f4-809a-0417943b837b^active=true",
        EncodedQuery.where("correlation_id", "63883bf7-5be1-42f4-809a-0417943b837b")
            .and("active", "true")
            .toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x^NQactive=true", "x^ORstate=1", "^", "line\nbreak", "nul\u0000", ""})
  void aValueThatCouldAddAConditionIsRefused(String value) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> EncodedQuery.where("correlation_id", value));
    assertEquals(
        "a ServiceNow query value may not be empty or hold '^' or control characters: refused correlation_id",
        e.getMessage());
  }

  @Test
  void aFieldNameMustBeAName() {
    assertThrows(
        IllegalArgumentException.class,
        () -> EncodedQuery.where("active=true^correlation_id", "x"));
  }
}
