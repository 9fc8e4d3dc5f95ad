// The GCP driver: compute instances with a service account of their own, a firewall rule that
// admits SSH to them only, and for volumes on GCS without keys: bucket IAM bindings for that
// service account (objectViewer, or objectUser where a volume writes) and an HMAC key, since
// geesefs reaches GCS through its S3-compatible API.
import type * as gcpSdk from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { loadOptional } from "../internal/optionalModule";
import { CredentialValues } from "../model/storageRef";
import { Machines, SshKeyPair } from "./driver";
import { GcpMachinePlan, gcpPlanner } from "./gcpPlan";
import { cloudDriver, machinesOf, nodeHost } from "./machines";

function declareGcpMachines(name: string, plan: GcpMachinePlan, ssh: SshKeyPair, parent: pulumi.Resource): Machines {
    const gcp = loadOptional<typeof gcpSdk>("@pulumi/gcp", 'provider: "gcp"');
    const opts = { parent };
    const tag = `skymount-${createHash("sha256").update(name).digest("hex").slice(0, 10)}`;
    const account = new gcp.serviceaccount.Account(
        `${name}-vm`,
        { accountId: `${tag}-vm`, project: plan.project, displayName: `skymount ${name} machines` },
        opts,
    );
    const member = pulumi.interpolate`serviceAccount:${account.email}`;
    // Buckets only (GCS grants no per-prefix roles): read-only unless a volume on the bucket writes.
    const bindings = plan.grants.map(
        (g) =>
            new gcp.storage.BucketIAMMember(
                `${name}-${g.bucket}`,
                { bucket: g.bucket, role: g.readOnly ? "roles/storage.objectViewer" : "roles/storage.objectUser", member },
                opts,
            ),
    );
    let credentials: pulumi.Output<CredentialValues> | undefined;
    if (plan.grants.length > 0) {
        const key = new gcp.storage.HmacKey(
            `${name}-vm`,
            { serviceAccountEmail: account.email, project: plan.project },
            { parent, additionalSecretOutputs: ["secret"], dependsOn: bindings },
        );
        credentials = pulumi.secret(pulumi.all([key.accessId, key.secret]).apply(([accessKey, secretKey]) => ({ accessKey, secretKey })));
    }
    new gcp.compute.Firewall(
        `${name}-ssh`,
        {
            network: "default",
            project: plan.project,
            allows: [{ protocol: "tcp", ports: ["22"] }],
            sourceRanges: [plan.sshCidr],
            targetTags: [tag],
        },
        opts,
    );
    const instances = Array.from(
        { length: plan.nodes },
        (_, i) =>
            new gcp.compute.Instance(
                `${name}-node-${i}`,
                {
                    project: plan.project,
                    zone: plan.zone,
                    machineType: plan.machineType,
                    bootDisk: { initializeParams: { image: plan.image } },
                    networkInterfaces: [{ network: "default", accessConfigs: [{}] }],
                    metadata: { "ssh-keys": pulumi.interpolate`${plan.sshUser}:${ssh.publicKey}` },
                    serviceAccount: { email: account.email, scopes: ["cloud-platform"] },
                    tags: [tag],
                },
                opts,
            ),
    );
    const hosts = instances.map((instance, i) =>
        nodeHost(
            i,
            instance.networkInterfaces.apply((nics) => nics[0].accessConfigs?.[0]?.natIp ?? ""),
            plan.sshUser,
            ssh,
        ),
    );
    return machinesOf(hosts, instances, credentials);
}

export const gcpDriver = cloudDriver("gcp", gcpPlanner, declareGcpMachines);
