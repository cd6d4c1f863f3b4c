package org.sentinelplaybooks.clients.implementation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.azure.core.util.BinaryData;
import com.azure.core.util.serializer.JsonSerializerProviders;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSerializerOnMapperTest {
  @Test
  void isAzureCoresDefaultJsonSerializer() {
    assertInstanceOf(JsonSerializerOnMapper.class, JsonSerializerProviders.createInstance(false));
    BinaryData data = BinaryData.fromObject(Map.of("status", "Closed"));
    assertEquals("{\"status\":\"Closed\"}", data.toString());
    assertEquals(Map.of("status", "Closed"), data.toObject(Map.class));
  }
}
