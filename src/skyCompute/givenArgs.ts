// SkyCompute's own arguments at the edge: reduced to the plain spec (the provider's block flattened
// in), validated on what is known at preview, planned. A field given as an Output goes on to the
// resources as an Output of the same plan made again once it is known (internal/lateValues.ts), so
// its dependencies are kept and a rule it breaks fails there with the same text. `setup` and `run`
// have no rules: the scripts take them as given (secret if they were).
import { typeFields } from "../internal/committedSchema";
import { throwIfIssues } from "../internal/inputError";
import { Issue } from "../internal/issues";
import {
    issuesOnKnown,
    liftedBlock,
    markedLate,
    pendingPaths,
    previewValue,
    unknownDeciderIssues,
    withLateFields,
} from "../internal/lateValues";
import { notKnownPaths } from "../internal/notKnown";
import { pathKind } from "../internal/pathKind";
import { SettledVolume, unknownMountIssues } from "../skyVolume/givenVolumes";
import { SettledOptions } from "../skyVolume/skyVolume";
import { validateVolumes } from "../skyVolume/validate";
import { AwsCompute, AzureCompute, GcpCompute, GivenComputeArgs, SkyComputeArgs } from "../model/computeArgs";
import { ComputePlan, planSkyCompute } from "./plan";
import { SkyComputeSpec } from "./spec";
import { pendingGrants, unknownGrantIssues, validateSkyCompute, withGrantsKnown } from "./validate";

/** `args` with each cloud's options block a plain object: one given as an Output is lifted field by field. */
export function liftedComputeArgs(args: SkyComputeArgs): GivenComputeArgs {
    return {
        ...args,
        aws: liftedBlock(args.aws, typeFields<AwsCompute>("AwsCompute")),
        gcp: liftedBlock(args.gcp, typeFields<GcpCompute>("GcpCompute")),
        azure: liftedBlock(args.azure, typeFields<AzureCompute>("AzureCompute")),
    };
}

/** The plain view validation and planning see: the provider's block flattened in, keys reduced to whether they exist. */
export function specOf(args: GivenComputeArgs, volumes: SettledVolume[]): SkyComputeSpec {
    return {
        provider: args.provider as string,
        nodes: args.nodes as number | undefined,
        hosts: args.ssh?.hosts,
        workdir: args.workdir as string | undefined,
        setup: args.setup as string | undefined,
        run: args.run as string | undefined,
        blocks: (["ssh", "aws", "gcp", "azure"] as const).filter((b) => args[b] !== undefined),
        hasSshKeys: args.sshPublicKey !== undefined && args.sshPrivateKey !== undefined,
        // The volumes a driver grants its machines only where what decides the grants is known (the
        // others are refused at preview: unknownGrantIssues).
        volumes: withGrantsKnown(
            volumes.map((v) => ({
                store: v.spec.storage.store,
                bucket: v.spec.storage.bucket,
                endpoint: v.spec.storage.endpoint,
                prefix: v.spec.prefix,
                readOnly: v.spec.readOnly,
                hasCredentials: v.spec.storage.hasCredentials,
                azureScope: v.azureScope,
            })),
        ),
        grantsPending: pendingGrants(volumes),
        // Plain here: the Inputs were settled or marked late (givenArgs.ts) before this view is made.
        instanceType: args.instanceType as string | undefined,
        image: args.image as string | undefined,
        region: args.region as string | undefined,
        zone: args.zone as string | undefined,
        // Only the provider's own block may be set (validated), so the first one set is it.
        sshCidr: (args.aws?.sshCidr ?? args.gcp?.sshCidr ?? args.azure?.sshCidr) as string | undefined,
        sshUser: (args.aws?.sshUser ?? args.gcp?.sshUser ?? args.azure?.sshUser) as string | undefined,
        project: args.gcp?.project as string | undefined,
        resourceGroupName: args.azure?.resourceGroupName as string | undefined,
        vnetCidr: args.azure?.vnetCidr as string | undefined,
    };
}

/** SkyCompute's own fields that may be Outputs (the volumes, the ssh hosts and the keys are handled on their own). */
export function ownInputs(args: GivenComputeArgs) {
    const { provider, nodes, workdir, instanceType, image, region, zone, setup, run, aws, gcp, azure } = args;
    return { provider, nodes, workdir, instanceType, image, region, zone, setup, run, aws, gcp, azure };
}

/** Inputs that must be known at preview, and what each decides (said when one is not). */
export const COMPUTE_DECIDERS: Record<string, string> = {
    provider: "which driver declares the machines",
    nodes: "how many machines are declared",
    workdir: "the archive the preview already makes, and whether each node gets one",
};

/** The own fields the plan passes on to the machines: all but the deciders and the scripts. */
function machineInputs(args: GivenComputeArgs) {
    const { instanceType, image, region, zone, aws, gcp, azure } = args;
    return { instanceType, image, region, zone, aws, gcp, azure };
}

function checkedPlan(spec: SkyComputeSpec): { issues: Issue[]; plan?: ComputePlan } {
    const issues = validateSkyCompute(spec, pathKind);
    return { issues, plan: issues.length === 0 ? planSkyCompute(spec) : undefined };
}

/**
 * Validated on what is known and planned; bad input throws every issue at once. `settled` is the
 * own Inputs settled (internal/settle.ts), or given plainly. A field given as an Output goes on as
 * an Output of the same plan made again once it is known (internal/lateValues.ts).
 */
export function plannedCompute(args: GivenComputeArgs, settled: unknown, volumes: SettledVolume[], options: SettledOptions): ComputePlan {
    const known = previewValue(settled) as Partial<GivenComputeArgs>;
    const checked = checkedPlan(specOf({ ...args, ...known }, volumes));
    const unknown = notKnownPaths(known);
    const deciders = unknownDeciderIssues(unknown, COMPUTE_DECIDERS);
    // The volumes' rules too, before any machine is declared: a bad volume registers no machine.
    const volumeIssues = [
        ...unknownMountIssues(volumes),
        ...(volumes.length ? validateVolumes({ volumes: volumes.map((v) => v.spec), ...options }) : []),
        ...unknownGrantIssues(args.provider as string, volumes),
    ];
    throwIfIssues("SkyCompute", [...(deciders.length ? deciders : issuesOnKnown(checked.issues, unknown)), ...volumeIssues]);
    const late = pendingPaths(machineInputs(args));
    if (late.length === 0) return checked.plan!;
    const plan = planSkyCompute(specOf({ ...args, ...(markedLate(known, late) as Partial<GivenComputeArgs>) }, volumes));
    return withLateFields("SkyCompute", plan, machineInputs(args), (own) => checkedPlan(specOf({ ...args, ...own }, volumes)));
}
