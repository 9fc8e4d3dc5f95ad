// Azure Blob: container URLs (https://<account>.blob.core.windows.net/<container>), container-name
// rules, a storage account of its own per container (azure/account.ts) or an existing account's key
// (azure/container.ts), syncs and copies over the Blob API, and geesefs mounting wasb://<container>
// through a wrapper that points AZURE_CONFIG_DIR at the mount's key.
import { createHash } from "node:crypto";
import { Issue, issue } from "../internal/issues";
import type { BucketUri } from "../internal/uri";
import type { SkyStorageSpec } from "../model/storageSpec";
import { CREDENTIALS_DIR } from "../hostScripts/hostPaths";
import { declareAzureContainer } from "./azure/account";
import { azureStorageConfigFile } from "./azure/configFile";
import { AzureBlobContainer } from "./azure/container";
import type { AzurePlan } from "../model/azureAccountPlan";
import type { PlanScope, StoreFamily } from "./family";

/** Azure storage account names: 3-24 lowercase letters and digits, unique across Azure. */
export const AZURE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

const AZURE_URL = /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([^/]+)(\/.*)?$/;

/** Container-name rules. */
function containerNameRules(name: string): string[] {
    const broken: string[] = [];
    if (name.length < 3 || name.length > 63) broken.push("must be 3 to 63 characters long");
    if (!/^[a-z0-9][-a-z0-9]*[a-z0-9]$/.test(name))
        broken.push("may contain only lowercase letters, digits and '-', and must begin and end with a letter or digit");
    if (name.includes("--")) broken.push("must not contain two adjacent hyphens");
    return broken;
}

function parseContainerUrl(source: string): BucketUri | undefined {
    const match = AZURE_URL.exec(source);
    if (!match) return undefined;
    return { store: "azure", account: match[1], bucket: match[2], subPath: (match[3] ?? "").replace(/^\/+|\/+$/g, "") };
}

function azureBlockIssues(spec: SkyStorageSpec, external: boolean): Issue[] {
    const az = spec.azure;
    if (!az) return [];
    const issues: Issue[] = [];
    const broken = (path: string, value: unknown, rule: string) => issues.push(issue(path, value, rule));
    if (az.storageAccountName !== undefined && !AZURE_ACCOUNT_NAME.test(az.storageAccountName))
        broken("azure.storageAccountName", az.storageAccountName, "must be 3 to 24 lowercase letters and digits");
    if (az.endpoint !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(az.endpoint))
        broken("azure.endpoint", az.endpoint, "must be the blob service URL with scheme, such as https://myaccount.blob.core.windows.net");
    if (az.hasAccountKey && !external && az.storageAccountName === undefined)
        broken("azure.storageAccountName", undefined, "required with azure.accountKey: the existing storage account the key belongs to");
    if (az.hasAccountKey && az.resourceGroupName !== undefined)
        broken(
            "azure.resourceGroupName",
            az.resourceGroupName,
            "not used with azure.accountKey: the container is made through the Blob API in the existing account, not through Azure Resource Manager",
        );
    if (!az.hasAccountKey && az.endpoint !== undefined && !external)
        broken(
            "azure.endpoint",
            az.endpoint,
            "only goes with azure.accountKey (an existing account) or a container URL source; accounts skymount creates use their own endpoint",
        );
    return issues;
}

/** Copy Blob reaches a source without a SAS only inside the account whose key signs the request. */
function sameAccountRule(uri: BucketUri, spec: SkyStorageSpec): string | undefined {
    const account = spec.azure?.hasAccountKey ? spec.azure.storageAccountName : undefined;
    if (uri.account === account) return undefined;
    const where = account === undefined ? "a storage account skymount creates" : `storage account ${account}`;
    return `is in storage account ${uri.account} but the container is in ${where}: a server-side copy from Azure Blob stays inside one account (give azure.storageAccountName "${uri.account}" and its accountKey), or download it and use a local source instead`;
}

/** A storage account name (3-24 of [a-z0-9], unique across Azure) derived from stack and container. */
export function defaultAzureAccountName(scope: PlanScope, container: string): string {
    return `sky${createHash("sha256").update(`${scope.project}/${scope.stack}/${container}`).digest("hex").slice(0, 21)}`;
}

function azurePlan(spec: SkyStorageSpec, scope: PlanScope, external: BucketUri | undefined): AzurePlan {
    if (external) return { account: external.account!, mode: "external" };
    if (spec.azure?.hasAccountKey) return { account: spec.azure.storageAccountName!, mode: "keyed" };
    return {
        account: spec.azure?.storageAccountName ?? defaultAzureAccountName(scope, spec.name!),
        mode: "arm",
        resourceGroupName: spec.azure?.resourceGroupName,
    };
}

export const azureFamily: StoreFamily = {
    name: "azure",
    argsBlock: "azure",
    blockIssues: azureBlockIssues,
    uriForm: "https://<account>.blob.core.windows.net/<container>",
    parseUri: parseContainerUrl,
    bucketNameRules: containerNameRules,
    copiesFrom: ["azure"],
    copySourceRule: sameAccountRule,
    defaultRegion: "eastus",
    planBucket: ({ spec, scope, external }) => {
        const azure = azurePlan(spec, scope, external);
        // The Blob service endpoint: geesefs takes the account from its first DNS label.
        const endpoint = (spec.azure?.endpoint ?? `https://${azure.account}.blob.core.windows.net`).replace(/\/+$/, "");
        return { endpoint, pathStyle: false, azure };
    },
    declareBucket: (name, plan, { given, parent }) => {
        if (plan.azure!.mode === "arm") return declareAzureContainer(name, plan, plan.azure!, parent);
        // An existing account, reached with its key through the Blob API.
        const container = new AzureBlobContainer(
            `${name}-container`,
            { endpoint: plan.endpoint, credentials: given!, container: plan.bucket, persistent: plan.persistent },
            { parent },
        );
        return { name: container.container, credentials: given, readOnlyCredentials: given };
    },
    // Its own API, with the account name and key (the ref's credentials); copies stay in that account.
    writeAccess: (plan, bucket) => ({ target: { kind: "azure", endpoint: plan.endpoint }, credentials: bucket.credentials }),
    geesefs: {
        api: "azure",
        source: (container, prefix) => `wasb://${container}${prefix ? `/${prefix}/` : ""}`,
        // A directory per mount: geesefs finds the key as $AZURE_CONFIG_DIR/config, next to the wrapper.
        keyFile: (name) => ({ file: `${CREDENTIALS_DIR}/azure-${name}/config`, dir: `${CREDENTIALS_DIR}/azure-${name}` }),
        keyFileText: azureStorageConfigFile,
        // --endpoint names the account; none of S3's flags (region, listing, addressing, key file) apply.
        flags: () => ({ protocolFlags: [], accessFlags: [] }),
        // geesefs reads the account key only from its environment or from $AZURE_CONFIG_DIR/config:
        // the wrapper sets that one variable and drops any inherited key.
        wrapper: ({ bucket, keyDir }) => ({
            path: `${keyDir}/geesefs`,
            description: `geesefs for Azure container ${bucket}, with the account key in $AZURE_CONFIG_DIR/config`,
            environment: { unset: ["AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY"], set: [["AZURE_CONFIG_DIR", keyDir!]] },
        }),
        // geesefs reaches Azure Blob only with the account's shared key (no managed identity, no SAS).
        credentialsRequired: "Azure volumes need credentials: the storage account name (accessKey) and an account key (secretKey)",
    },
};
