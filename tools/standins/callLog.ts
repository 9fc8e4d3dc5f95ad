// The record of every call a stand-in provider answers, one JSON object a line, so that a test can
// assert what the engine asked (and that the stand-in was loaded at all). The file is named by the
// stand-in's environment; secrets are never written: a value the engine marked secret, and any
// property a model names as secret, is recorded as "[secret]".
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { appendFileSync, readFileSync } from "node:fs";

/** The environment variable that names the JSON-lines file a stand-in appends its calls to. */
export const CALL_LOG_ENV = "SKYMOUNT_STANDIN_CALLS";

export type CallMethod = "check" | "diff" | "create" | "read" | "update" | "delete" | "invoke";

export interface RecordedCall {
    provider: string;
    method: CallMethod;
    /** The resource type token (aws:s3/bucket:Bucket), or the function's for an invoke. */
    type: string;
    /** The resource's name in the program (the URN's last part); empty for an invoke. */
    name: string;
    id?: string;
    /** What the call was given: the new inputs (check, diff, create, update), the state (read, delete). */
    inputs?: Record<string, unknown>;
    /** What the call answered: outputs, the diff, or the error message. */
    result?: unknown;
    error?: string;
}

/** A copy with secret values (the engine's, and the model's named properties) replaced. */
export function redacted(value: unknown, secretNames: readonly string[] = []): unknown {
    if (Array.isArray(value)) return value.map((item) => redacted(item, secretNames));
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    if (object[specialSigKey] === specialSecretSig) return "[secret]";
    return Object.fromEntries(
        Object.entries(object).map(([key, item]) => [key, secretNames.includes(key) ? "[secret]" : redacted(item, secretNames)]),
    );
}

export function recordCall(call: RecordedCall): void {
    const file = process.env[CALL_LOG_ENV];
    if (!file) return;
    appendFileSync(file, `${JSON.stringify(call)}\n`);
}

/** Every call recorded in `file`, in order; none when the stand-in never started. */
export function readCalls(file: string): RecordedCall[] {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch {
        return [];
    }
    return text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as RecordedCall);
}
