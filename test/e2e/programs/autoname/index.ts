// A bucket named by another resource in the same `up` (as Pulumi auto-naming does): a dynamic resource
// makes a bucket with a random name on the testbed's MinIO and puts one file in it; SkyVolume mounts
// it on the first host. At preview the name is unknown.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { loadTestbedInfo } from "../../../../tools/testbed/info";
import { SkyVolume } from "../../../../src";

interface BucketInputs {
    endpoint: string;
    region: string;
    accessKey: string;
    secretKey: string;
    prefix: string;
    text: string;
}

/** Makes `<prefix>-<random>` with hello.txt in it; deletes both (it made them). */
const generatedBucketProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: BucketInputs) {
        // Loaded here: the provider runs serialized, in its own process.
        const s3 = await import("@aws-sdk/client-s3");
        const { randomBytes } = await import("node:crypto");
        const client = new s3.S3Client({
            endpoint: inputs.endpoint,
            region: inputs.region,
            forcePathStyle: true,
            credentials: { accessKeyId: inputs.accessKey, secretAccessKey: inputs.secretKey },
        });
        const name = `${inputs.prefix}-${randomBytes(4).toString("hex")}`;
        await client.send(new s3.CreateBucketCommand({ Bucket: name }));
        await client.send(new s3.PutObjectCommand({ Bucket: name, Key: "hello.txt", Body: inputs.text }));
        return { id: name, outs: { ...inputs, name } };
    },
    async delete(id: string, props: BucketInputs) {
        const s3 = await import("@aws-sdk/client-s3");
        const client = new s3.S3Client({
            endpoint: props.endpoint,
            region: props.region,
            forcePathStyle: true,
            credentials: { accessKeyId: props.accessKey, secretAccessKey: props.secretKey },
        });
        await client.send(new s3.DeleteObjectCommand({ Bucket: id, Key: "hello.txt" }));
        await client.send(new s3.DeleteBucketCommand({ Bucket: id }));
    },
};

class GeneratedBucket extends pulumi.dynamic.Resource {
    declare readonly name: pulumi.Output<string>;
    constructor(name: string, args: BucketInputs) {
        super(generatedBucketProvider, name, { ...args, name: undefined }, { additionalSecretOutputs: ["secretKey"] });
    }
}

const config = new pulumi.Config();
const testbed = loadTestbedInfo();
const [h1] = testbed.hosts;
const bucket = new GeneratedBucket("made", {
    endpoint: testbed.s3.endpoint,
    region: testbed.s3.region,
    accessKey: testbed.s3.accessKey,
    secretKey: testbed.s3.secretKey,
    prefix: config.require("prefix"),
    text: "made in the same up\n",
});

const volume = new SkyVolume("auto", {
    hosts: [
        {
            name: h1.name,
            host: h1.address,
            port: h1.port,
            user: h1.user,
            privateKey: readFileSync(h1.privateKeyPath, "utf8"),
            hostKey: h1.hostPublicKey,
        },
    ],
    volumes: [
        {
            storage: {
                bucket: bucket.name,
                endpoint: testbed.s3.endpoint,
                region: testbed.s3.region,
                pathStyle: true,
                credentials: pulumi.secret({ accessKey: testbed.s3.accessKey, secretKey: testbed.s3.secretKey }),
            },
            mount: config.require("mount"),
        },
    ],
    geesefs: { url: testbed.mirror.geesefs.url, sha256: testbed.mirror.geesefs.sha256 },
    aptSource: testbed.mirror.aptSource,
});

export const bucketName = bucket.name;
export const mounted = volume.mounted;
