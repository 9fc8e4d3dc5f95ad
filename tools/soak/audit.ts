// The end of the soak: what each writer was told, against what the bucket holds. A file whose close
// returned success must be an object "<prefix>/<file>" whose bytes hash to the sha256 in its name;
// anything else is lost. A write that began and got no answer is either one a reboot killed with its
// writer (a later "start" line follows it) or one that never returned (which the soak fails on).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";

export interface WriterOutcomes {
    ok: string[];
    failed: { file: string; call: string; error: string }[];
    /** Begun, then the writer was killed (a reboot) before it was told anything. */
    interrupted: string[];
    /** Begun, and still without an answer when the writer was stopped. */
    unanswered: string[];
}

export function parseWriterLog(text: string): WriterOutcomes {
    const outcomes: WriterOutcomes = { ok: [], failed: [], interrupted: [], unanswered: [] };
    let pending: string | undefined;
    for (const line of text.split("\n")) {
        const [word, file, call, errno, error] = line.split(" ");
        if (word === "start" && pending) outcomes.interrupted.push(pending);
        if (word === "start" || word === "ok" || word === "failed") pending = undefined;
        if (word === "begin") pending = file;
        else if (word === "ok") outcomes.ok.push(file);
        else if (word === "failed") outcomes.failed.push({ file, call, error: `${call}: ${error ?? ""} (errno ${errno})` });
    }
    if (pending) outcomes.unanswered.push(pending);
    return outcomes;
}

export interface ReaderOutcomes {
    verified: number;
    /** Files whose bytes, read through a volume, did not hash to their name. */
    mismatched: string[];
    errors: number;
}

export function parseReaderLog(text: string): ReaderOutcomes {
    const outcomes: ReaderOutcomes = { verified: 0, mismatched: [], errors: 0 };
    for (const line of text.split("\n")) {
        const [word, path] = line.split(" ");
        if (word === "verified") outcomes.verified++;
        else if (word === "mismatch") outcomes.mismatched.push(path);
        else if (word === "error") outcomes.errors++;
    }
    return outcomes;
}

/** Every object under `prefix/`: key → size. */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, number>> {
    const objects = new Map<string, number>();
    let token: string | undefined;
    do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
        for (const o of page.Contents ?? []) objects.set(o.Key!, o.Size ?? 0);
        token = page.NextContinuationToken;
    } while (token);
    return objects;
}

export interface LostFile {
    key: string;
    why: string;
}

/** The files among `files` (each "<writer>-<session>-<seq>-<sha256>") that are not in the bucket under
 *  `prefix/` with the bytes their name hashes, each with why. */
export async function lostFiles(
    s3: S3Client,
    bucket: string,
    prefix: string,
    files: string[],
    objects: Map<string, number>,
): Promise<LostFile[]> {
    const lost: LostFile[] = [];
    const check = async (file: string) => {
        const key = `${prefix}/${file}`;
        if (!objects.has(key)) {
            lost.push({ key, why: "not in the bucket" });
            return;
        }
        const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();
        const digest = createHash("sha256").update(body).digest("hex");
        if (digest !== file.split("-").pop()) lost.push({ key, why: `${body.length} bytes hashing to ${digest}` });
    };
    const queue = [...files];
    await Promise.all(
        Array.from({ length: 8 }, async () => {
            for (let file = queue.pop(); file !== undefined; file = queue.pop()) await check(file);
        }),
    );
    return lost.sort((a, b) => a.key.localeCompare(b.key));
}
