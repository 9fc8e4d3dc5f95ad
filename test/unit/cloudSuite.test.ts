// `npm run test:cloud`, the opt-in real-cloud suite: which accounts it finds, how it skips without
// them (never as a pass), and how its sweep reads the clouds' CLIs. No real account is reached here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { accounts, CLOUDS, Probe } from "../../tools/cloudSuite/accounts";
import { awsLeftovers, azureLeftovers, gcpLeftovers, removeLeftovers } from "../../tools/cloudSuite/leftovers";

const REPO = path.join(__dirname, "..", "..");

function probe(env: NodeJS.ProcessEnv, files: string[] = []): Probe {
    return { env, home: "/home/u", exists: (file) => files.includes(file) };
}

describe("test:cloud accounts", () => {
    it("skips every cloud with nothing set, saying what it looked for", () => {
        const found = accounts(CLOUDS, probe({}));
        assert.deepEqual(
            found.map((a) => [a.cloud, a.ready]),
            [
                ["aws", false],
                ["gcp", false],
                ["azure", false],
            ],
        );
        const why = found.map((a) => (a.ready ? "" : a.why)).join("\n");
        for (const place of ["AWS_PROFILE", "/home/u/.aws/credentials", "GOOGLE_APPLICATION_CREDENTIALS", "ARM_SUBSCRIPTION_ID"])
            assert.ok(why.includes(place), `the reasons name ${place}: ${why}`);
    });

    it("finds each cloud where its SDK would, and never shows a secret", () => {
        const secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
        const [aws] = accounts(
            ["aws"],
            probe({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: secret, AWS_REGION: "eu-west-1" }),
        );
        assert.ok(aws.ready && aws.config["aws:region"] === "eu-west-1");
        assert.ok(!JSON.stringify(aws).includes(secret));
        const [profile] = accounts(["aws"], probe({}, ["/home/u/.aws/config"]));
        assert.ok(profile.ready && profile.source === "/home/u/.aws/config" && profile.config["aws:region"] === "us-east-1");
        const [gcp] = accounts(
            ["gcp"],
            probe({ GOOGLE_CLOUD_PROJECT: "p1" }, ["/home/u/.config/gcloud/application_default_credentials.json"]),
        );
        assert.ok(gcp.ready && gcp.config["gcp:project"] === "p1");
        const [azure] = accounts(["azure"], probe({ ARM_SUBSCRIPTION_ID: "sub", ARM_CLIENT_ID: "id", ARM_USE_OIDC: "true" }));
        assert.ok(azure.ready && azure.config["azure-native:subscriptionId"] === "sub");
    });

    it("skips GCP without a project, and a named credentials file that is missing", () => {
        const [noProject] = accounts(["gcp"], probe({ GOOGLE_APPLICATION_CREDENTIALS: "/k.json" }, ["/k.json"]));
        assert.ok(!noProject.ready && noProject.why.startsWith("no project"));
        const [missing] = accounts(["gcp"], probe({ GOOGLE_APPLICATION_CREDENTIALS: "/k.json", GOOGLE_CLOUD_PROJECT: "p" }));
        assert.ok(!missing.ready && missing.why.includes("names /k.json, which does not exist"));
    });
});

describe("test:cloud without credentials", () => {
    const home = mkdtempSync(path.join(tmpdir(), "skymount-cloud-home-"));
    const run = (...args: string[]) =>
        spawnSync("npx", ["tsx", "tools/cloudSuite/cli.ts", ...args], {
            cwd: REPO,
            env: { PATH: process.env.PATH, HOME: home },
            encoding: "utf8",
        });

    it("prints each skipped cloud and why, counts no pass, and exits 0", () => {
        const result = run();
        assert.equal(result.status, 0, result.stderr);
        for (const cloud of CLOUDS) assert.match(result.stdout, new RegExp(`^${cloud}: skipped: `, "m"));
        assert.match(result.stdout, /^0 passed, 0 failed, 3 clouds skipped$/m);
        assert.match(result.stdout, /^no real cloud account was reached$/m);
    });

    it("fails when a required cloud is skipped", () => {
        const result = run("--require", "gcp", "--clouds", "gcp");
        assert.equal(result.status, 1);
        assert.match(result.stdout, /^skipped gcp \(not a pass\): required$/m);
    });
});

describe("test:cloud sweep", () => {
    it("reads the AWS tagging API and deletes buckets and instances of the asked run only", () => {
        const asked: string[][] = [];
        const answer = {
            ResourceTagMappingList: [
                { ResourceARN: "arn:aws:s3:::skymount-rabc-datasets", Tags: [{ Key: "skymount-run", Value: "abc" }] },
                { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", Tags: [{ Key: "skymount-run", Value: "abc" }] },
                { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:instance/i-0other", Tags: [{ Key: "skymount-run", Value: "other" }] },
                { ResourceARN: "arn:aws:ec2:us-east-1:123456789012:volume/vol-1", Tags: [{ Key: "skymount-run", Value: "abc" }] },
            ],
        };
        const found = awsLeftovers("us-east-1", "abc", (argv) => (asked.push(argv), JSON.stringify(answer)));
        assert.deepEqual(asked[0].slice(-4), ["--tag-filters", "Key=skymount-run,Values=abc", "--output", "json"]);
        assert.deepEqual(
            found.map((l) => [l.kind, l.id, l.remove.slice(0, 3).join(" ")]),
            [
                ["bucket", "skymount-rabc-datasets", "aws s3 rb"],
                ["instance", "i-0abc", "aws ec2 terminate-instances"],
                ["volume", "vol-1", ""],
            ],
        );
        const log: string[] = [];
        const ran: string[][] = [];
        const remaining = removeLeftovers(
            found,
            (line) => log.push(line),
            (argv) => (ran.push(argv), ""),
        );
        assert.equal(ran[0][2], "terminate-instances", "instances go first");
        assert.deepEqual(
            remaining.map((l) => l.id),
            ["vol-1"],
        );
        assert.ok(log.some((line) => line.includes("vol-1") && line.includes("remove it by hand")));
    });

    it("reads Cloud Asset search and az group list", () => {
        const gcp = gcpLeftovers("proj", "abc", () =>
            JSON.stringify([
                {
                    assetType: "storage.googleapis.com/Bucket",
                    name: "//storage.googleapis.com/skymount-rabc-datasets",
                    labels: { "skymount-run": "abc" },
                },
                {
                    assetType: "compute.googleapis.com/Instance",
                    name: "//compute.googleapis.com/projects/proj/zones/europe-west4-a/instances/n0",
                    labels: { "skymount-run": "abc" },
                    location: "europe-west4-a",
                },
            ]),
        );
        assert.deepEqual(gcp[0].remove, ["gcloud", "storage", "rm", "--recursive", "gs://skymount-rabc-datasets", "--project=proj"]);
        assert.ok(gcp[1].remove.includes("--zone=europe-west4-a"));
        const azure = azureLeftovers(undefined, () =>
            JSON.stringify([
                { name: "datasets-rg1", tags: { "skymount-run": "abc" } },
                { name: "theirs", tags: {} },
            ]),
        );
        assert.deepEqual(
            azure.map((l) => l.remove),
            [["az", "group", "delete", "--name", "datasets-rg1", "--yes"]],
        );
    });
});
