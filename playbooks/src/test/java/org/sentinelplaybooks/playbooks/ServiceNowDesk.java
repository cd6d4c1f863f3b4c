package org.sentinelplaybooks.playbooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Someone at the ServiceNow instance: files and edits incident records over the Table API, as the
 * instance's UI does, with fields the playbooks never write themselves (a state, a planted
 * correlation id). It goes over HTTP to the emulator, so what it does is recorded as any request.
 */
public final class ServiceNowDesk {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TABLE = "/api/now/table/incident";

  private final EmulatedAzure azure;
  private final HttpClient http = HttpClient.newHttpClient();

  public ServiceNowDesk(EmulatedAzure azure) {
    this.azure = azure;
  }

  /** Files an incident record with these fields. */
  public void file(Map<String, String> fields) {
    send("POST", TABLE, fields, 201);
  }

  /** Changes these fields of the incident record. */
  public void edit(String sysId, Map<String, String> fields) {
    send("PATCH", TABLE + "/" + sysId, fields, 200);
  }

  private void send(String method, String path, Map<String, String> fields, int expected) {
    String credentials = EmulatedAzure.SERVICENOW_USER + ":" + azure.serviceNowPassword;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(azure.emulator.baseUrl() + path))
              .method(
                  method, HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(fields)))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .header(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
