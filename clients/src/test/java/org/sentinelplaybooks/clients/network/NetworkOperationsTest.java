package org.sentinelplaybooks.clients.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.core.management.exception.ManagementError;
import org.junit.jupiter.api.Test;

/**
 * The error of an operation that ended Failed, as the ARM async-operations page shows its status
 * body (learn.microsoft.com/azure/azure-resource-manager/management/async-operations: {@code {"id",
 * "name", "status": "Failed", "startTime", "endTime", "error": {"code", "message"}}}).
 */
class NetworkOperationsTest {
  @Test
  void theErrorOfAFailedOperationIsReadFromItsStatus() {
    ManagementError error =
        NetworkOperations.operationError(
            "{\"id\":\"op-1\",\"name\":\"op-1\",\"status\":\"Failed\","
                + "\"startTime\":\"2026-11-01T00:00:00Z\",\"properties\":{\"x\":[1,{\"y\":2}]},"
                + "\"error\":{\"code\":\"SecurityRuleConflict\",\"message\":\"Another rule uses"
                + " priority 150.\"}}");

    assertEquals("SecurityRuleConflict", error.getCode());
    assertEquals("Another rule uses priority 150.", error.getMessage());
  }

  @Test
  void aStatusWithoutAnErrorOrNotJsonHasNone() {
    assertNull(NetworkOperations.operationError("{\"status\":\"Failed\"}"));
    assertNull(NetworkOperations.operationError("not json"));
    assertNull(NetworkOperations.operationError(""));
    assertNull(NetworkOperations.operationError(null));
  }
}
