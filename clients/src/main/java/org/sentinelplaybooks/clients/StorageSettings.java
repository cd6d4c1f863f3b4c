package org.sentinelplaybooks.clients;

/**
 * Where the playbooks keep their state (Azure Tables, next to the Functions host's own storage): a
 * connection string ({@code UseDevelopmentStorage=true} for Azurite), or, in Azure, the account
 * name reached with the managed identity ({@code AzureWebJobsStorage__accountName}).
 */
public record StorageSettings(Secret connectionString, String accountName) {}
