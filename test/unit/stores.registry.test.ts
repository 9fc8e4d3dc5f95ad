// The store family registry: a family registered in the registry alone is validated, planned,
// mounted and rendered like the built-in ones (the issue's "adding a fake store touches only the
// registry"), and the built-in families answer for what used to be compared by name.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { formatIssue } from "../../src/internal/issues";
import { renderCopyVolumeScript } from "../../src/hostScripts/copyVolume";
import { fstabLine } from "../../src/hostScripts/fstabLine";
import { renderMountScript, renderUnmountScript } from "../../src/hostScripts/mount";
import { planSkyStorage } from "../../src/skyStorage/plan";
import { resolveSkyStorage } from "../../src/skyStorage/resolve";
import { SkyStorageSpec } from "../../src/skyStorage/spec";
import { validateSkyStorage } from "../../src/skyStorage/validate";
import { mountFamily, parseSource, registerStoreFamily, sourceUriForms, storeNames } from "../../src/storeFamilies/registry";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { validateSkyVolume } from "../../src/skyVolume/validate";
import { fakeStoreFamily } from "./fakeStoreFamily";
import { spec, volume } from "./fixtures";

const scope = { project: "ml", stack: "dev" };
const plan = (s: SkyStorageSpec) => planSkyStorage(resolveSkyStorage(s), scope);
const messages = (s: SkyStorageSpec) => validateSkyStorage(s, () => "directory").map(formatIssue);

describe("store family registry", () => {
    it("lists the built-in families in order and parses their URIs", () => {
        assert.deepEqual(storeNames(), ["s3", "gcs", "azure", "r2", "s3compatible"]);
        assert.deepEqual(parseSource("gs://b/x/"), { store: "gcs", bucket: "b", subPath: "x" });
        assert.deepEqual(parseSource("https://acct1.blob.core.windows.net/c/d/"), {
            store: "azure",
            account: "acct1",
            bucket: "c",
            subPath: "d",
        });
        assert.equal(parseSource("./data"), "local");
        assert.equal(parseSource("ftp://x"), "unknown");
        assert.deepEqual(sourceUriForms(), ["s3://", "gs://", "r2://", "https://<account>.blob.core.windows.net/<container>"]);
    });

    it("mounts a ref without a store, or with an unknown one, like an S3-compatible bucket", () => {
        assert.equal(mountFamily(undefined).name, "s3compatible");
        assert.equal(mountFamily("nothing-like-it").name, "s3compatible");
    });
});

describe("a fake store family, registered in the registry only", () => {
    let unregister: () => void;
    before(() => (unregister = registerStoreFamily(fakeStoreFamily)));
    after(() => unregister());

    it("is validated with its own bucket-name rules, URI scheme and copy rules", () => {
        assert.deepEqual(messages({ name: "fake-data", store: "fake", sources: ["fake://public/sets/train"] }), []);
        assert.deepEqual(messages({ name: "data", store: "fake" }), ['name: "data": must start with "fake-" (fake bucket names)']);
        assert.deepEqual(messages({ name: "fake-data", store: "fake", sources: ["s3://public"] }), [
            'sources[0]: "s3://public": is on s3 but the bucket is on fake: server-side copy needs source and destination on the same store; download it and use a local source instead',
        ]);
        assert.deepEqual(messages({ source: "ftp://x" }), [
            'source: "ftp://x": unknown scheme: use a local path, s3://, gs://, r2://, fake:// or https://<account>.blob.core.windows.net/<container>',
        ]);
        assert.deepEqual(messages({ name: "data", store: "nope" }), [
            'store: "nope": must be one of s3, gcs, azure, r2, s3compatible, fake',
        ]);
    });

    it("is planned with its region, endpoint and addressing; its URIs name existing buckets and copies", () => {
        const managed = plan({ name: "fake-data", store: "fake", prefix: "team", sources: ["fake://public/sets/train"] });
        assert.deepEqual(
            {
                store: managed.store,
                bucket: managed.bucket,
                region: managed.region,
                endpoint: managed.endpoint,
                pathStyle: managed.pathStyle,
                managed: managed.managed,
            },
            { store: "fake", bucket: "fake-data", region: "moon-1", endpoint: "https://moon-1.fake.test", pathStyle: true, managed: true },
        );
        assert.deepEqual(managed.copies, [
            { sourceBucket: "public", sourcePrefix: "sets/train/", keyPrefix: "team/train/", label: "train" },
        ]);
        const external = plan({ source: "fake://theirs", region: "mars-2" });
        assert.deepEqual(
            { store: external.store, bucket: external.bucket, managed: external.managed, endpoint: external.endpoint },
            { store: "fake", bucket: "theirs", managed: false, endpoint: "https://mars-2.fake.test" },
        );
    });

    it("mounts with its own source, flags, key file and wrapper, and refuses volumes without keys", () => {
        const storage = {
            store: "fake",
            bucket: "fake-data",
            endpoint: "https://moon-1.fake.test",
            region: "moon-1",
            hasCredentials: true,
        };
        const volumes = planSkyVolume(
            spec({ volumes: [volume({ mount: "/data", storage }), volume({ mount: "/snap", mode: "COPY", storage })] }),
        );
        const [mount] = volumes.mounts;
        assert.deepEqual(
            { store: mount.store, source: mount.source, credentialsFile: mount.credentialsFile, credentialsDir: mount.credentialsDir },
            {
                store: "fake",
                source: "fake-fake-data",
                credentialsFile: `/etc/skymount/credentials/fake/${mount.id}.ini`,
                credentialsDir: "/etc/skymount/credentials/fake",
            },
        );
        const line = fstabLine(mount, volumes.geesefs);
        assert.equal(line.split(" ")[0], "/etc/skymount/credentials/fake/geesefs-fake-data#fake-fake-data");
        assert.match(line, /,--endpoint=https:\/\/moon-1\.fake\.test,--region=moon-1,--fake,--stat-cache-ttl=60s,/);
        assert.match(line, new RegExp(`,--shared-config=${mount.credentialsFile},`));
        const scripts = [
            renderMountScript(mount, volumes.geesefs),
            renderUnmountScript(mount),
            renderCopyVolumeScript(volumes.copies[0], volumes.geesefs),
        ];
        for (const script of scripts) execFileSync("bash", ["-n"], { input: script });
        assert.match(scripts[0], /\nunset FAKE_KEY\nexport FAKE_HOME=/);
        assert.match(
            scripts[2],
            /'env' '-u' 'FAKE_KEY' 'FAKE_HOME=\/etc\/skymount\/credentials\/fake' '\/usr\/local\/sbin\/skymount-geesefs' 'fake-fake-data'/,
        );
        const refused = validateSkyVolume(spec({ volumes: [volume({ storage: { ...storage, hasCredentials: false } })] }));
        assert.deepEqual(refused.map(formatIssue), ["volumes[0].storage.credentials: (not set): fake volumes need credentials"]);
    });
});
