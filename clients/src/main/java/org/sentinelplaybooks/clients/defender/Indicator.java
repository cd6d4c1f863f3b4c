package org.sentinelplaybooks.clients.defender;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.sentinelplaybooks.clients.Json;

/** A Defender for Endpoint indicator as the API returns it (the fields the playbooks read). */
public record Indicator(
    String id,
    String indicatorValue,
    String indicatorType,
    String action,
    String title,
    OffsetDateTime expirationTime) {

  static Indicator fromJson(JsonNode indicator) {
    String expiration = Json.text(indicator, "expirationTime");
    return new Indicator(
        Json.text(indicator, "id"),
        Json.text(indicator, "indicatorValue"),
        Json.text(indicator, "indicatorType"),
        Json.text(indicator, "action"),
        Json.text(indicator, "title"),
        expiration == null ? null : OffsetDateTime.parse(expiration));
  }
}
