// Puts objects through signedPut.ts (the sync's fast path for small files), as a process of its own so
// cloudNames.test.ts can run it under tools/testbed/with-cloud-names.sh, as a program runs:
//   signedPutProbe.ts '<JSON list of { bucket, key, region, endpoint? }>'   (keys in PROBE_ACCESS_KEY, PROBE_SECRET_KEY)
// Without an endpoint the target is AWS S3 itself, whose name signedPut.ts builds from the region.
import { SignedPutter } from "../../../src/sync/protocols/signedPut";

export interface ProbePut {
    bucket: string;
    key: string;
    region: string;
    endpoint?: string;
}

async function main(puts: ProbePut[]): Promise<void> {
    for (const { bucket, key, region, endpoint } of puts) {
        const putter = new SignedPutter({
            endpoint,
            region,
            pathStyle: false,
            accessKey: process.env.PROBE_ACCESS_KEY ?? "",
            secretKey: process.env.PROBE_SECRET_KEY ?? "",
        });
        await putter.put(bucket, key, Buffer.from(`put by signedPut.ts to ${bucket}\n`));
        putter.close();
    }
}

main(JSON.parse(process.argv[2]) as ProbePut[]).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
});
