package dev.cirrus.contracts.events;

import java.util.Map;

/**
 * The data of {@code Microsoft.Storage.StorageAccount*} events on {@code cirrus.serverless} (subject: the account's
 * ARM id, {@code .../providers/Microsoft.Storage/storageAccounts/{name}}): what the resource index and billing need
 * about the account without calling back. Keys never travel in events.
 *
 * @param subscriptionId subscription GUID
 * @param resourceGroup  resource group name as the user cased it
 * @param name           the account's name
 * @param location       normalised ARM location
 * @param kind           StorageV2, BlobStorage, BlockBlobStorage, FileStorage or Storage
 * @param sku            the SKU's name, e.g. Standard_LRS
 * @param tags           the account's tags
 * @param etag           the account's ETag after the change (null once deleted)
 */
public record StorageAccountData(String subscriptionId, String resourceGroup, String name, String location,
                                 String kind, String sku, Map<String, String> tags, String etag) {
}
