// A store family that exists only in tests: registered through the registry alone, it shows that a
// new store needs no change anywhere else (validation, planning, volumes, scripts).
import { parseSchemeUri } from "../../src/internal/uri";
import { CREDENTIALS_DIR } from "../../src/hostScripts/hostPaths";
import type { StoreFamily } from "../../src/storeFamilies/family";

export const fakeStoreFamily: StoreFamily = {
    name: "fake",
    uriForm: "fake://",
    parseUri: (source) => parseSchemeUri(source, "fake", "fake"),
    bucketNameRules: (name) => (name.startsWith("fake-") ? [] : ['must start with "fake-"']),
    copiesFrom: ["fake"],
    defaultRegion: "moon-1",
    planBucket: ({ region }) => ({ endpoint: `https://${region}.fake.test`, pathStyle: true }),
    declareBucket: () => {
        throw new Error("the fake store declares no resources");
    },
    writeAccess: (plan, bucket) => ({
        target: { kind: "s3", endpoint: plan.endpoint, region: plan.region, pathStyle: plan.pathStyle },
        credentials: bucket.credentials,
    }),
    geesefs: {
        api: "s3",
        source: (bucket) => `fake-${bucket}`,
        keyFile: (name) => ({ file: `${CREDENTIALS_DIR}/fake/${name}.ini`, dir: `${CREDENTIALS_DIR}/fake` }),
        keyFileText: (credentials) => `${credentials.accessKey}:${credentials.secretKey}\n`,
        flags: (mount) => ({
            protocolFlags: [`--region=${mount.region}`, "--fake"],
            accessFlags: mount.hasCredentials ? [`--shared-config=${mount.credentialsFile}`] : [],
        }),
        wrapper: ({ bucket, keyDir }) => ({
            path: `${keyDir}/geesefs-${bucket}`,
            description: `geesefs for fake bucket ${bucket}`,
            environment: { unset: ["FAKE_KEY"], set: [["FAKE_HOME", keyDir!]] },
        }),
        credentialsRequired: "fake volumes need credentials",
    },
};
