// The AWS driver: EC2 instances with IMDSv2 required, a security group that admits SSH, a key
// pair, and an instance role whose policy grants exactly the volumes' buckets and prefixes,
// read-only where the volumes are. geesefs takes the role through the SDK chain (no keys on disk).
import type * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadOptional } from "../internal/optionalModule";
import { s3AccessPolicy } from "../model/s3AccessPolicy";
import { AwsMachinePlan, awsPlanner } from "./awsPlan";
import { Machines, SshKeyPair } from "./driver";
import { cloudDriver, machinesOf, nodeHost } from "./machines";

/** Canonical's account: the default image is its current Ubuntu 24.04 LTS for amd64. */
const CANONICAL = "099720109477";
const UBUNTU_2404 = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*";

function declareAwsMachines(name: string, plan: AwsMachinePlan, ssh: SshKeyPair, parent: pulumi.Resource): Machines {
    const aws = loadOptional<typeof awsSdk>("@pulumi/aws", 'provider: "aws"');
    const opts = { parent };
    const region = plan.region;
    const group = new aws.ec2.SecurityGroup(
        `${name}-ssh`,
        {
            region,
            description: `skymount ${name}: SSH in, anything out`,
            ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [plan.sshCidr], description: "SSH" }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "buckets, packages, geesefs" }],
        },
        opts,
    );
    const key = new aws.ec2.KeyPair(`${name}-key`, { region, publicKey: ssh.publicKey }, opts);
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        },
        opts,
    );
    if (plan.grants.length > 0 || plan.grantsPending) {
        // One policy for every bucket: at preview its document may wait for a bucket made in the same `up`.
        const policy = plan.grantsPending ? (pulumi.unknown as unknown as string) : JSON.stringify(s3AccessPolicy(plan.grants));
        new aws.iam.RolePolicy(`${name}-volumes`, { role: role.id, policy }, opts);
    }
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, opts);
    const image =
        plan.image ??
        aws.ec2
            .getAmiOutput({ owners: [CANONICAL], mostRecent: true, filters: [{ name: "name", values: [UBUNTU_2404] }], region }, opts)
            .apply((ami) => ami.id);
    const instances = Array.from(
        { length: plan.nodes },
        (_, i) =>
            new aws.ec2.Instance(
                `${name}-node-${i}`,
                {
                    region,
                    ami: image,
                    instanceType: plan.instanceType,
                    keyName: key.keyName,
                    iamInstanceProfile: profile.name,
                    vpcSecurityGroupIds: [group.id],
                    // IMDSv2 only; a hop limit of 2 lets containers on the node reach it too.
                    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
                    tags: { Name: `${name}-node-${i}`, "skymount:compute": name },
                },
                opts,
            ),
    );
    return machinesOf(
        instances.map((instance, i) => nodeHost(i, instance.publicIp, plan.sshUser, ssh)),
        instances,
    );
}

export const awsDriver = cloudDriver("aws", awsPlanner, declareAwsMachines);
