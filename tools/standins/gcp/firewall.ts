// gcp:compute/firewall:Firewall as @pulumi/gcp v9 serves it: state only (the testbed has no network
// to filter), with the autonamed name kept across updates, GCP's ids and self link, and a new rule
// when its name, network, project or direction changes. Recorded, so a test sees what was asked.
import { randomBytes } from "node:crypto";
import { stateOnlyModel } from "../resourceModel";
import { defaultProject } from "./dataPlane";

const projectOf = (inputs: Record<string, unknown>) => String(inputs.project ?? defaultProject());

export const firewallModel = stateOnlyModel({
    replaceOn: ["name", "network", "project", "direction"],
    defaults: (inputs, name, olds) =>
        inputs.name !== undefined ? {} : { name: olds?.name ?? `${name}-${randomBytes(4).toString("hex").slice(0, 7)}` },
    id: (inputs) => `projects/${projectOf(inputs)}/global/firewalls/${String(inputs.name)}`,
    computed: (inputs, id) => ({
        project: projectOf(inputs),
        direction: inputs.direction ?? "INGRESS",
        priority: inputs.priority ?? 1000,
        selfLink: `https://www.googleapis.com/compute/v1/${id}`,
        creationTimestamp: new Date().toISOString(),
    }),
});
