// What a run left in a real account, found by the run's tag and removed with each cloud's own CLI
// (aws, gcloud, az): the run's persistent buckets, which `pulumi destroy` keeps by design, and anything
// a failed destroy left. Every resource a run makes carries `skymount-run=<run id>` (aws:defaultTags,
// gcp:defaultLabels, and for Azure a transform that tags what takes tags: its resource groups hold
// the rest). Only what carries a run id is ever listed, so nothing the runs did not make is touched.
import { execFileSync } from "node:child_process";
import { Cloud } from "./accounts";

export const RUN_TAG = "skymount-run";

/** One thing left in an account: what kind it is, its name or id, and the command that deletes it. */
export interface Leftover {
    cloud: Cloud;
    kind: string;
    id: string;
    runId: string;
    remove: string[];
}

type Run = (argv: string[]) => string;

const runCli: Run = (argv) => execFileSync(argv[0], argv.slice(1), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** The run id a tag value names, when it is one of the asked runs (all runs when `runId` is undefined). */
function matches(value: string | undefined, runId: string | undefined): value is string {
    return value !== undefined && value !== "" && (runId === undefined || value === runId);
}

/** AWS: the tagging API lists every tagged resource of the region; buckets and instances are deleted, the rest named. */
export function awsLeftovers(region: string, runId: string | undefined, run: Run = runCli): Leftover[] {
    const filter = runId === undefined ? `Key=${RUN_TAG}` : `Key=${RUN_TAG},Values=${runId}`;
    const answer = JSON.parse(
        run(["aws", "resourcegroupstaggingapi", "get-resources", "--region", region, "--tag-filters", filter, "--output", "json"]),
    ) as { ResourceTagMappingList: { ResourceARN: string; Tags: { Key: string; Value: string }[] }[] };
    const found: Leftover[] = [];
    for (const { ResourceARN: arn, Tags } of answer.ResourceTagMappingList) {
        const tag = Tags.find((t) => t.Key === RUN_TAG)?.Value;
        if (!matches(tag, runId)) continue;
        const [, , service, , , resource] = arn.split(":");
        const [kind, id] = resource.includes("/") ? resource.split("/") : [service, resource];
        const remove =
            service === "s3"
                ? ["aws", "s3", "rb", `s3://${resource}`, "--force", "--region", region]
                : kind === "instance"
                  ? ["aws", "ec2", "terminate-instances", "--region", region, "--instance-ids", id]
                  : kind === "security-group"
                    ? ["aws", "ec2", "delete-security-group", "--region", region, "--group-id", id]
                    : kind === "key-pair"
                      ? ["aws", "ec2", "delete-key-pair", "--region", region, "--key-pair-id", id]
                      : [];
        found.push({ cloud: "aws", kind: service === "s3" ? "bucket" : kind, id: service === "s3" ? resource : id, runId: tag, remove });
    }
    // IAM is global and outside the tagging API: the run's roles and instance profiles are named in its state.
    return found;
}

/** GCP: Cloud Asset search by label; buckets and instances are deleted, the rest named. */
export function gcpLeftovers(project: string, runId: string | undefined, run: Run = runCli): Leftover[] {
    const query = runId === undefined ? `labels.${RUN_TAG}:*` : `labels.${RUN_TAG}=${runId}`;
    const answer = JSON.parse(
        run(["gcloud", "asset", "search-all-resources", `--scope=projects/${project}`, `--query=${query}`, "--format=json"]),
    ) as { assetType: string; name: string; labels?: Record<string, string>; location?: string }[];
    return answer
        .filter((asset) => matches(asset.labels?.[RUN_TAG], runId))
        .map((asset) => {
            const id = asset.name.split("/").pop()!;
            const remove =
                asset.assetType === "storage.googleapis.com/Bucket"
                    ? ["gcloud", "storage", "rm", "--recursive", `gs://${id}`, `--project=${project}`]
                    : asset.assetType === "compute.googleapis.com/Instance"
                      ? ["gcloud", "compute", "instances", "delete", id, `--zone=${asset.location}`, `--project=${project}`, "--quiet"]
                      : [];
            return { cloud: "gcp" as const, kind: asset.assetType, id, runId: asset.labels![RUN_TAG], remove };
        });
}

/** Azure: the run's resource groups by tag; deleting one deletes what it holds (accounts, VMs, role assignments in it). */
export function azureLeftovers(runId: string | undefined, run: Run = runCli): Leftover[] {
    const answer = JSON.parse(
        run(["az", "group", "list", "--tag", runId === undefined ? RUN_TAG : `${RUN_TAG}=${runId}`, "--output", "json"]),
    ) as {
        name: string;
        tags?: Record<string, string>;
    }[];
    return answer
        .filter((group) => matches(group.tags?.[RUN_TAG], runId))
        .map((group) => ({
            cloud: "azure" as const,
            kind: "resource group",
            id: group.name,
            runId: group.tags![RUN_TAG],
            remove: ["az", "group", "delete", "--name", group.name, "--yes"],
        }));
}

/** Deletes each leftover that has a command (instances before the groups and keys they hold); returns the ones that remain. */
export function removeLeftovers(found: Leftover[], log: (line: string) => void, run: Run = runCli): Leftover[] {
    const order = (l: Leftover) => (l.kind === "instance" || l.kind.endsWith("/Instance") ? 0 : 1);
    const remaining: Leftover[] = [];
    for (const leftover of [...found].sort((a, b) => order(a) - order(b))) {
        if (leftover.remove.length === 0) {
            remaining.push(leftover);
            log(`sweep: ${leftover.cloud} ${leftover.kind} ${leftover.id} (run ${leftover.runId}): no generic delete; remove it by hand`);
            continue;
        }
        try {
            run(leftover.remove);
            log(`sweep: deleted ${leftover.cloud} ${leftover.kind} ${leftover.id} (run ${leftover.runId})`);
        } catch (err) {
            remaining.push(leftover);
            log(`sweep: ${leftover.remove.join(" ")}: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
        }
    }
    return remaining;
}
