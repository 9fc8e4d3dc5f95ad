// Arguments checked by type before any rule reads them: a value of the wrong type is one
// `field: value: rule` issue, and an Output or a Promise passes (its value is checked once known).
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssue } from "../../src/internal/issues";
import { shapeIssues } from "../../src/internal/inputShape";
import { skyComputeShape } from "../../src/skyCompute/argsShape";
import { skyVolumeShape } from "../../src/skyVolume/argsShape";

const lines = (schema: Parameters<typeof shapeIssues>[0], args: unknown) => shapeIssues(schema, args).map(formatIssue);

describe("argument shapes", () => {
    it("names each field of the wrong type with the type it must be", () => {
        assert.deepEqual(lines(skyVolumeShape, { hosts: "h1", volumes: [{ mount: 5, readOnly: "yes" }], geesefs: { uid: "0" } }), [
            'hosts: "h1": must be a list',
            "volumes[0].mount: 5: must be a string",
            'volumes[0].readOnly: "yes": must be a boolean',
            'geesefs.uid: "0": must be a number',
        ]);
        assert.deepEqual(lines(skyComputeShape, { provider: {}, nodes: "2", ssh: { hosts: [null] } }), [
            "provider: {}: must be a string",
            'nodes: "2": must be a number',
            "ssh.hosts[0]: null: must be an object",
        ]);
    });

    it("passes Outputs and Promises anywhere, and leaves absent fields to the rules", () => {
        const later = pulumi.output("x");
        assert.deepEqual(lines(skyVolumeShape, { hosts: [{ name: "h1", host: later, port: Promise.resolve(22) }], volumes: later }), []);
        assert.deepEqual(lines(skyVolumeShape, { volumes: [{ storage: pulumi.secret({ bucket: "b" }), mount: later }] }), []);
        assert.deepEqual(lines(skyVolumeShape, undefined), []);
        assert.deepEqual(lines(skyComputeShape, {}), []);
    });

    it("refuses an infinity or NaN where a number belongs, naming it", () => {
        assert.deepEqual(lines(skyComputeShape, { nodes: Number.POSITIVE_INFINITY }), ["nodes: Infinity: must be a number"]);
    });
});
