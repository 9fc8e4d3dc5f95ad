// The part of a storage plan only Azure Blob has: which storage account holds the container. Shared by
// the store families' interface (family.ts) and the Azure family, so it lives below both.

export interface AzurePlan {
    account: string;
    /**
     * "arm": skymount creates a storage account for this container (through Azure Resource Manager),
     * so the account's key reaches this container and nothing else. "keyed": an existing account
     * whose key was given; the container is made through the Blob API. "external": a container URL.
     */
    mode: "arm" | "keyed" | "external";
    /** The resource group to create the account in; when absent, one is created. */
    resourceGroupName?: string;
}
