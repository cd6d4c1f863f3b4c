package org.sentinelplaybooks.clients.implementation;

import com.azure.core.util.serializer.JsonSerializer;
import com.azure.core.util.serializer.JsonSerializerProvider;
import com.azure.core.util.serializer.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.sentinelplaybooks.clients.Json;
import reactor.core.publisher.Mono;

/**
 * azure-core's default JSON serializer, on the application's mapper. azure-core creates its default
 * serializer when {@code BinaryData} is first loaded, which every request does; without a provider
 * that is azure-core's own Jackson set-up, several mappers with their modules, a noticeable part of
 * a CLI command's start-up. The application itself sends and reads bodies as text, never through
 * this serializer.
 */
public final class JsonSerializerOnMapper implements JsonSerializerProvider, JsonSerializer {
  @Override
  public JsonSerializer createInstance() {
    return this;
  }

  @Override
  public <T> T deserialize(InputStream stream, TypeReference<T> type) {
    try {
      return Json.read(stream, type.getJavaType());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public <T> Mono<T> deserializeAsync(InputStream stream, TypeReference<T> type) {
    return Mono.fromCallable(() -> deserialize(stream, type));
  }

  @Override
  public void serialize(OutputStream stream, Object value) {
    try {
      Json.write(stream, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Mono<Void> serializeAsync(OutputStream stream, Object value) {
    return Mono.fromRunnable(() -> serialize(stream, value));
  }
}
