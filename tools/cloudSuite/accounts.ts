// Which real cloud accounts this machine can reach, read from the places each cloud's own SDK reads
// them (environment, then the CLI's files): nothing is called, so a machine without credentials learns
// in milliseconds which clouds `npm run test:cloud` skips, and why. A cloud that looks ready but whose
// credentials are wrong fails in its run, loudly, never as a skip.
import * as path from "node:path";

export type Cloud = "aws" | "gcp" | "azure";
export const CLOUDS: readonly Cloud[] = ["aws", "gcp", "azure"];

export interface Ready {
    cloud: Cloud;
    ready: true;
    /** Where the credentials come from, for the log: never the credentials themselves. */
    source: string;
    /** The stack config the examples need for this account (aws:region, gcp:project, …). */
    config: Record<string, string>;
}

export interface Skipped {
    cloud: Cloud;
    ready: false;
    why: string;
}

export type Account = Ready | Skipped;

/** What is read: the environment and whether a file exists (injected, so tests need no real home). */
export interface Probe {
    env: NodeJS.ProcessEnv;
    home: string;
    exists: (file: string) => boolean;
}

function set(env: NodeJS.ProcessEnv, name: string): string | undefined {
    const value = env[name]?.trim();
    return value ? value : undefined;
}

function aws({ env, home, exists }: Probe): Account {
    const region = set(env, "SKYMOUNT_CLOUD_AWS_REGION") ?? set(env, "AWS_REGION") ?? set(env, "AWS_DEFAULT_REGION") ?? "us-east-1";
    const config = { "aws:region": region };
    if (set(env, "AWS_ACCESS_KEY_ID") && set(env, "AWS_SECRET_ACCESS_KEY"))
        return { cloud: "aws", ready: true, source: "AWS_ACCESS_KEY_ID", config };
    if (set(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(env, "AWS_ROLE_ARN"))
        return { cloud: "aws", ready: true, source: "AWS_WEB_IDENTITY_TOKEN_FILE (web identity, as in CI)", config };
    if (set(env, "AWS_PROFILE")) return { cloud: "aws", ready: true, source: `AWS_PROFILE=${env.AWS_PROFILE}`, config };
    const files = [
        set(env, "AWS_SHARED_CREDENTIALS_FILE") ?? path.join(home, ".aws", "credentials"),
        set(env, "AWS_CONFIG_FILE") ?? path.join(home, ".aws", "config"),
    ];
    const found = files.find(exists);
    if (found) return { cloud: "aws", ready: true, source: found, config };
    return {
        cloud: "aws",
        ready: false,
        why: `no credentials: none of AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN, AWS_PROFILE is set, and neither ${files.join(" nor ")} exists`,
    };
}

function gcp({ env, home, exists }: Probe): Account {
    const adcFile = set(env, "GOOGLE_APPLICATION_CREDENTIALS");
    const gcloudAdc = path.join(
        set(env, "CLOUDSDK_CONFIG") ?? path.join(home, ".config", "gcloud"),
        "application_default_credentials.json",
    );
    const source = adcFile && exists(adcFile) ? adcFile : exists(gcloudAdc) ? gcloudAdc : undefined;
    if (!source) {
        return {
            cloud: "gcp",
            ready: false,
            why: `no application default credentials: GOOGLE_APPLICATION_CREDENTIALS ${adcFile ? `names ${adcFile}, which does not exist` : "is not set"}, and ${gcloudAdc} does not exist (gcloud auth application-default login)`,
        };
    }
    const project =
        set(env, "SKYMOUNT_CLOUD_GCP_PROJECT") ??
        set(env, "GOOGLE_CLOUD_PROJECT") ??
        set(env, "GOOGLE_PROJECT") ??
        set(env, "CLOUDSDK_CORE_PROJECT");
    if (!project)
        return {
            cloud: "gcp",
            ready: false,
            why: "no project: set SKYMOUNT_CLOUD_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT) to the project the run may use",
        };
    return { cloud: "gcp", ready: true, source, config: { "gcp:project": project } };
}

function azure({ env, home, exists }: Probe): Account {
    const subscription = set(env, "ARM_SUBSCRIPTION_ID");
    if (!subscription) return { cloud: "azure", ready: false, why: "no subscription: ARM_SUBSCRIPTION_ID is not set" };
    const config = {
        "azure-native:subscriptionId": subscription,
        "azure-native:location": set(env, "SKYMOUNT_CLOUD_AZURE_LOCATION") ?? "westeurope",
    };
    if (set(env, "ARM_CLIENT_ID") && (set(env, "ARM_CLIENT_SECRET") || set(env, "ARM_USE_OIDC") || set(env, "ARM_USE_MSI")))
        return { cloud: "azure", ready: true, source: "ARM_CLIENT_ID (service principal or managed identity)", config };
    const profile = path.join(set(env, "AZURE_CONFIG_DIR") ?? path.join(home, ".azure"), "azureProfile.json");
    if (exists(profile)) return { cloud: "azure", ready: true, source: `${profile} (az login)`, config };
    return {
        cloud: "azure",
        ready: false,
        why: `no credentials: ARM_CLIENT_ID with ARM_CLIENT_SECRET, ARM_USE_OIDC or ARM_USE_MSI is not set, and ${profile} does not exist (az login)`,
    };
}

const DETECT: Record<Cloud, (probe: Probe) => Account> = { aws, gcp, azure };

/** Each asked cloud, ready with where its credentials come from, or skipped with why. */
export function accounts(clouds: readonly Cloud[], probe: Probe): Account[] {
    return clouds.map((cloud) => DETECT[cloud](probe));
}
