// Azure Blob through Azure Resource Manager: a storage account of its own for each container
// (StorageV2, HTTPS only, TLS 1.2, no public blob access), the private container, and the account key
// as the credentials. geesefs reaches Azure Blob only with an account key (its Azure backend has no
// SAS or token login), and an account key reaches every container in its account: one account per
// container keeps what a key reaches down to this container. Persistent accounts, containers and
// resource groups are retained on destroy.
import * as pulumi from "@pulumi/pulumi";
import { CredentialValues } from "../../model/storageRef";
import type { DeclaredBucket } from "../declared";
import type { BucketPlan } from "../family";
import type { AzurePlan } from "../../model/azureAccountPlan";
import { loadAzure } from "./sdk";

export function declareAzureContainer(name: string, plan: BucketPlan, azure: AzurePlan, parent: pulumi.Resource): DeclaredBucket {
    const az = loadAzure();
    const keep = { parent, retainOnDelete: plan.persistent };
    const resourceGroupName: pulumi.Input<string> =
        azure.resourceGroupName ?? new az.resources.ResourceGroup(`${name}-rg`, { location: plan.region }, keep).name;
    const account = new az.storage.StorageAccount(
        `${name}-account`,
        {
            accountName: azure.account,
            resourceGroupName,
            location: plan.region,
            kind: az.storage.Kind.StorageV2,
            sku: { name: az.storage.SkuName.Standard_LRS },
            accessTier: az.storage.AccessTier.Hot,
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: az.storage.MinimumTlsVersion.TLS1_2,
            allowBlobPublicAccess: false,
            // geesefs signs requests with the account key (Shared Key): it must stay allowed.
            allowSharedKeyAccess: true,
            encryption: {
                keySource: az.storage.KeySource.Microsoft_Storage,
                services: { blob: { enabled: true, keyType: az.storage.KeyType.Account } },
            },
        },
        keep,
    );
    const container = new az.storage.BlobContainer(
        `${name}-container`,
        { containerName: plan.bucket, accountName: account.name, resourceGroupName, publicAccess: az.storage.PublicAccess.None },
        keep,
    );
    const keys = az.storage.listStorageAccountKeysOutput({ accountName: account.name, resourceGroupName }, { parent });
    const credentials: pulumi.Output<CredentialValues> = pulumi.secret(
        pulumi.all([account.name, keys.keys]).apply(([accountName, list]) => ({ accessKey: accountName, secretKey: list[0].value })),
    );
    return {
        name: container.name,
        credentials,
        // An account key cannot be narrowed to reading: read-only volumes are enforced by their mounts.
        readOnlyCredentials: credentials,
        azureScope: container.id,
    };
}
