import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planSkyVolume } from "../../src/skyVolume/plan";
import { spec, volume } from "./fixtures";

const onBucket = (bucket: string, endpoint = "http://10.0.0.1:9000") => ({ bucket, endpoint, hasCredentials: true, pathStyle: true });

describe("planSkyVolume", () => {
    it("makes one FUSE mount per bucket, read-write when any volume on it writes", () => {
        const plan = planSkyVolume(
            spec({
                volumes: [
                    volume({ mount: "/data", prefix: "iris/" }),
                    volume({ mount: "/all" }),
                    volume({ mount: "/out", storage: onBucket("results"), readOnly: false, prefix: "exp-1" }),
                    volume({ mount: "/results", storage: onBucket("results") }),
                ],
            }),
        );
        assert.equal(plan.mounts.length, 2);
        const [datasets, results] = plan.mounts;
        assert.equal(datasets.bucket, "datasets");
        assert.equal(datasets.readWrite, false);
        assert.equal(datasets.statCacheTtlSeconds, 60);
        assert.equal(results.readWrite, true);
        assert.equal(results.statCacheTtlSeconds, 1);
        assert.equal(results.credentialsFrom, 2);
        assert.deepEqual(
            plan.presents.map((p) => [p.target, p.source, p.readOnly]),
            [
                ["/all", datasets.dir, true],
                ["/data", `${datasets.dir}/iris`, true],
                ["/out", `${results.dir}/exp-1`, false],
                ["/results", results.dir, true],
            ],
        );
    });

    // Which FUSE mount serves a volume: keys (which reach the whole bucket) share the bucket's root
    // mount; the host's identity (which may list only its prefixes) gets a mount per prefix, unless one
    // of its volumes is the bucket's root; a COPY mounts its own prefix.
    const keyless = { bucket: "datasets", endpoint: "http://10.0.0.1:9000", hasCredentials: false, pathStyle: true };
    for (const [name, volumes, mounts, sources] of [
        [
            "keyed prefix volumes: one mount of the bucket's root",
            [volume({ mount: "/a", prefix: "iris/" }), volume({ mount: "/b", prefix: "mnist" })],
            [["", "datasets"]],
            [
                ["/a", "", "/iris"],
                ["/b", "", "/mnist"],
            ],
        ],
        [
            "keyless prefix volumes only: one mount per distinct prefix",
            [
                volume({ mount: "/a", prefix: "iris/", storage: keyless }),
                volume({ mount: "/b", prefix: "mnist", storage: keyless }),
                volume({ mount: "/c", prefix: "iris", storage: keyless, readOnly: false }),
            ],
            [
                ["iris", "datasets:iris/"],
                ["mnist", "datasets:mnist/"],
            ],
            [
                ["/a", "iris", ""],
                ["/b", "mnist", ""],
                ["/c", "iris", ""],
            ],
        ],
        [
            "keyless root and prefix volumes: one mount of the bucket's root",
            [volume({ mount: "/a", prefix: "iris", storage: keyless }), volume({ mount: "/all", storage: keyless })],
            [["", "datasets"]],
            [
                ["/a", "", "/iris"],
                ["/all", "", ""],
            ],
        ],
        [
            "a keyed root beside a keyless prefix: the keyless prefix still mounts its prefix",
            [volume({ mount: "/a", prefix: "iris", storage: keyless }), volume({ mount: "/all" })],
            [
                ["", "datasets"],
                ["iris", "datasets:iris/"],
            ],
            [
                ["/a", "iris", ""],
                ["/all", "", ""],
            ],
        ],
    ] as const) {
        it(name, () => {
            const plan = planSkyVolume(spec({ volumes: [...volumes] }));
            assert.deepEqual(plan.mounts.map((m) => [m.prefix, m.source]).sort(), mounts);
            assert.equal(new Set(plan.mounts.map((m) => m.dir)).size, plan.mounts.length);
            const mountOf = (id: string) => plan.mounts.find((m) => m.id === id)!;
            assert.deepEqual(
                plan.presents.map((p) => {
                    const m = mountOf(p.mountId);
                    return [p.target, m.prefix, p.source.slice(m.dir.length)];
                }),
                sources,
            );
        });
    }

    it("keeps the root mount's id (endpoint and bucket) whatever the volumes' keys, so nothing remounts", () => {
        const keyed = planSkyVolume(spec({ volumes: [volume({ mount: "/a", prefix: "iris" })] })).mounts[0];
        const keylessRoot = planSkyVolume(spec({ volumes: [volume({ mount: "/a", storage: keyless })] })).mounts[0];
        const keylessPrefix = planSkyVolume(spec({ volumes: [volume({ mount: "/a", prefix: "iris", storage: keyless })] })).mounts[0];
        assert.equal(keyed.id, keylessRoot.id);
        assert.notEqual(keylessPrefix.id, keyed.id);
    });

    it("keys mount directories by endpoint and bucket, so equal names on two endpoints never collide", () => {
        const plan = planSkyVolume(
            spec({
                volumes: [
                    volume({ mount: "/a", storage: onBucket("same", "http://one:9000") }),
                    volume({ mount: "/b", storage: onBucket("same", "http://two:9000") }),
                ],
            }),
        );
        assert.equal(plan.mounts.length, 2);
        assert.notEqual(plan.mounts[0].dir, plan.mounts[1].dir);
        assert.ok(plan.mounts.every((m) => m.dir.startsWith("/var/lib/skymount/mnt/same-")));
    });

    it("does not depend on the order of volumes", () => {
        const volumes = [
            volume({ mount: "/a" }),
            volume({ mount: "/b", storage: onBucket("other") }),
            volume({ mount: "/c", prefix: "x" }),
        ];
        const forward = planSkyVolume(spec({ volumes }));
        const backward = planSkyVolume(spec({ volumes: [...volumes].reverse() }));
        assert.deepEqual(
            forward.presents.map(({ volume: _, ...p }) => p),
            backward.presents.map(({ volume: _, ...p }) => p),
        );
        assert.deepEqual(
            forward.mounts.map((m) => m.id),
            backward.mounts.map((m) => m.id),
        );
    });

    it("plans a COPY volume as a local copy presented read-only, with no FUSE mount kept", () => {
        const plan = planSkyVolume(spec({ volumes: [volume({ mount: "/snapshot", mode: "COPY", prefix: "iris/" })] }));
        assert.deepEqual(plan.mounts, []);
        assert.equal(plan.copies.length, 1);
        const [copy] = plan.copies;
        assert.equal(copy.prefix, "iris");
        assert.equal(copy.fuse.readWrite, false);
        // Its own mount is of the prefix, so credentials scoped to the prefix copy it.
        assert.equal(copy.fuse.source, "datasets:iris/");
        assert.equal(copy.fuse.prefix, "iris");
        assert.deepEqual(plan.presents, [
            { volume: 0, mountId: copy.id, fromCopy: true, source: copy.dir, prefix: "iris", target: "/snapshot", readOnly: true },
        ]);
    });
});
