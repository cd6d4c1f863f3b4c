package org.sentinelplaybooks.clients.graph;

/** An Entra directory role a user holds (an active assignment), by its template id. */
public record DirectoryRole(String roleTemplateId, String displayName) {}
