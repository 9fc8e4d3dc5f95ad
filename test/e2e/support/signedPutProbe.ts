// Puts one object through signedPut.ts (the sync's fast path for small files), as a process of its
// own so cloudNames.test.ts can run it under tools/testbed/with-cloud-names.sh, as a program runs:
//   signedPutProbe.ts <bucket> <key> <region> [endpoint]   (keys in PROBE_ACCESS_KEY, PROBE_SECRET_KEY)
// Without an endpoint the target is AWS S3 itself, whose name signedPut.ts builds from the region.
import { SignedPutter } from "../../../src/sync/protocols/signedPut";

const [bucket, key, region, endpoint] = process.argv.slice(2);
const putter = new SignedPutter({
    endpoint,
    region,
    pathStyle: false,
    accessKey: process.env.PROBE_ACCESS_KEY ?? "",
    secretKey: process.env.PROBE_SECRET_KEY ?? "",
});
putter.put(bucket, key, Buffer.from(`put by signedPut.ts to ${bucket}\n`)).then(
    () => putter.close(),
    (err: Error) => {
        console.error(err.message);
        process.exit(1);
    },
);
