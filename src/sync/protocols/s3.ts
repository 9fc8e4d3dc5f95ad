// The S3 API as a data path: AWS S3 and every store that speaks it (GCS's XML API, R2, MinIO…).
// Uploads and deletes are s3Transfer.ts's, server-side copies serverCopy.ts's; records are whole
// small objects put and got here.
import { createS3Client } from "../../clients/s3Client";
import { s3Sdk } from "../../clients/s3Sdk";
import type { S3SyncTarget } from "../core/target";
import { keysOrNone, Protocol } from "./protocol";
import { copyObject, listObjectPages, listObjects, listPrefix, manifestOfListing } from "./serverCopy";
import { deleteKeys, s3ObjectStore } from "./s3Transfer";

export const s3Protocol: Protocol<S3SyncTarget> = {
    kind: "s3",
    endpoint: (target) => target.endpoint ?? `https://s3.${target.region}.amazonaws.com`,
    objectStore: s3ObjectStore,
    copyStore(target, credentials) {
        const s3 = createS3Client({ ...target, ...credentials });
        return {
            list: (bucket, prefix) => listPrefix(s3, bucket, prefix),
            async *listPages(bucket, prefix) {
                for await (const page of listObjectPages(s3, bucket, prefix)) yield manifestOfListing(page);
            },
            copy: (source, bucket, key) => copyObject(s3, source, bucket, key),
            deleteKeys: (bucket, keys) => deleteKeys(s3, bucket, keys, target.singleDeletes),
            close: () => s3.destroy(),
        };
    },
    recordStore(target, credentials, bucket) {
        const s3 = createS3Client({ ...target, ...credentials });
        return {
            async get(key) {
                try {
                    const object = await s3.send(new (s3Sdk().GetObjectCommand)({ Bucket: bucket, Key: key }));
                    return Buffer.from(await object.Body!.transformToByteArray());
                } catch (err) {
                    const name = (err as { name?: string }).name;
                    if (name === "NoSuchKey" || name === "NoSuchBucket" || name === "NotFound") return undefined;
                    throw err;
                }
            },
            put: async (key, body) =>
                void (await s3.send(
                    new (s3Sdk().PutObjectCommand)({ Bucket: bucket, Key: key, Body: body, ContentType: "application/gzip" }),
                )),
            list: (prefix) => keysOrNone(listObjects(s3, bucket, prefix), prefix),
            deleteKeys: (keys) => deleteKeys(s3, bucket, keys, target.singleDeletes),
            close: () => s3.destroy(),
        };
    },
};
