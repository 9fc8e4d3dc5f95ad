// Azure volumes on hosts: geesefs mounts wasb://<container> through a per-mount wrapper named in
// fstab (mount.fuse's helper#source form), with no S3-only flag and no key anywhere but stdin.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { renderCopyVolumeScript, renderUncopyVolumeScript } from "../../src/hostScripts/copyVolume";
import { fstabLine, mountProgramArgs } from "../../src/hostScripts/fstabLine";
import { geesefsOptions } from "../../src/hostScripts/geesefsFlags";
import { renderMountScript, renderUnmountScript } from "../../src/hostScripts/mount";
import { mountWrapperScript } from "../../src/hostScripts/mountWrapper";
import { azureStorageConfigFile } from "../../src/storeFamilies/azure/configFile";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { validateSkyVolume } from "../../src/skyVolume/validate";
import { spec, volume } from "./fixtures";

const ENDPOINT = "https://acct1.blob.core.windows.net";
const azure = { store: "azure", bucket: "datasets", endpoint: ENDPOINT, hasCredentials: true };
const plan = planSkyVolume(
    spec({
        volumes: [
            volume({ mount: "/data", prefix: "iris", storage: azure }),
            volume({ mount: "/out", readOnly: false, storage: azure }),
            volume({ mount: "/snap", mode: "COPY", prefix: "iris", storage: azure }),
            volume({ mount: "/s3" }),
        ],
    }),
);
const [mount] = plan.mounts.filter((m) => m.api === "azure");
const [copy] = plan.copies;
const S3_ONLY = ["--region", "--list-type", "--subdomain", "--shared-config"];

function bash(args: string[], input?: string): string {
    return execFileSync("bash", args, { input, encoding: "utf8" });
}

describe("Azure volumes", () => {
    it("share one FUSE mount per (endpoint, container), S3 buckets keep theirs", () => {
        assert.deepEqual(plan.mounts.map((m) => m.api).sort(), ["azure", "s3"]);
        assert.equal(mount.readWrite, true);
        assert.match(mount.credentialsFile, /^\/etc\/skymount\/credentials\/azure-[0-9a-f]{10}\/config$/);
    });

    it("mount wasb://<container> through the mount's own wrapper in fstab, with no S3-only flag", () => {
        const line = fstabLine(mount, plan.geesefs);
        const dir = mount.credentialsFile.replace(/\/config$/, "");
        assert.equal(line.split(" ")[0], `${dir}/geesefs#wasb://datasets`);
        assert.equal(line.split(" ")[2], "fuse");
        assert.match(line, new RegExp(`,--endpoint=${ENDPOINT},`));
        for (const flag of S3_ONLY) assert.ok(!line.includes(flag), flag);
        assert.ok(
            geesefsOptions(
                plan.mounts.find((m) => m.api === "s3")!,
                plan.geesefs,
            ).some((o) => o.startsWith("--region=")),
            "S3 mounts keep --region",
        );
    });

    it("wrapper selects the mount's AZURE_CONFIG_DIR, drops inherited keys, hands over to the mount helper and parses (sh -n)", () => {
        const wrapper = mountWrapperScript(mount.wrapper!);
        execFileSync("sh", ["-n"], { input: wrapper });
        assert.match(
            wrapper,
            /\nhelper='\/usr\/local\/sbin\/skymount-geesefs'\nunset AZURE_STORAGE_ACCOUNT AZURE_STORAGE_KEY\nexport AZURE_CONFIG_DIR='\/etc\/skymount\/credentials\/azure-[0-9a-f]{10}'\n[^]*\nexec "\$helper" "\$@"\n/,
        );
    });

    it("COPY of a prefix mounts wasb://<container>/<prefix>/ through the mount helper with AZURE_CONFIG_DIR, never a key, in argv", () => {
        const args = mountProgramArgs(copy.fuse, plan.geesefs);
        assert.deepEqual(args.slice(0, 3), ["wasb://datasets/iris/", copy.fuse.dir, "-o"]);
        for (const flag of S3_ONLY) assert.ok(!args.some((a) => a.includes(flag)), flag);
        assert.match(
            renderCopyVolumeScript(copy, plan.geesefs),
            /'env' '-u' 'AZURE_STORAGE_ACCOUNT' '-u' 'AZURE_STORAGE_KEY' 'AZURE_CONFIG_DIR=\/etc\/skymount\/credentials\/azure-copy-[0-9a-f]{10}' '\/usr\/local\/sbin\/skymount-geesefs' 'wasb:\/\/datasets\/iris\/'/,
        );
    });

    it("scripts parse (bash -n) and carry no key: it arrives on stdin as the [storage] ini", () => {
        const scripts = [
            renderMountScript(mount, plan.geesefs),
            renderUnmountScript(mount),
            renderCopyVolumeScript(copy, plan.geesefs),
            renderUncopyVolumeScript(copy),
        ];
        for (const script of scripts) {
            bash(["-n"], script);
            assert.ok(!/key =|AZURE_STORAGE_KEY=/.test(script));
        }
        assert.match(renderUnmountScript(mount), /\ncredentials_dir='\/etc\/skymount\/credentials\/azure-/);
    });

    it("writes the key file geesefs reads, quoted so base64 padding stays in the value", () => {
        assert.equal(
            azureStorageConfigFile({ accessKey: "acct1", secretKey: "a+b/c==" }),
            '[storage]\naccount = "acct1"\nkey = "a+b/c=="\n',
        );
    });

    it("quotes a hostile container name in the wrapper comment and the script", () => {
        const hostile = planSkyVolume(spec({ volumes: [volume({ storage: { ...azure, bucket: "x'$(id)" } })] })).mounts[0];
        execFileSync("sh", ["-n"], { input: mountWrapperScript(hostile.wrapper!) });
        bash(["-n"], renderMountScript(hostile, plan.geesefs));
    });

    it("are refused without credentials: geesefs reaches Azure Blob only with the account key", () => {
        const issues = validateSkyVolume(spec({ volumes: [volume({ storage: { ...azure, hasCredentials: false } })] }));
        assert.deepEqual(
            issues.map((i) => `${i.path}: ${i.rule}`),
            [
                "volumes[0].storage.credentials: Azure volumes need credentials: the storage account name (accessKey) and an account key (secretKey)",
            ],
        );
    });
});
