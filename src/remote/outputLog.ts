// What of a command's output is shown on its resource while it runs (RemoteCommand's `logging`), and
// what never is: anything the command was given as a secret. Pure: the log is passed in.
import { PROGRESS_LINE_PREFIX } from "../internal/progressLine";
import type { ResourceLog } from "../resource/engineLog";
import type { OutputListener } from "./transport";

/**
 * - `progress` (the default): the lines the command marks as progress (`skymount-progress: …`), as
 *   status lines; all of its output only when it fails (in the error, as always).
 * - `stdout`, `stderr`, `stdoutAndStderr`: also every line of that output, as it arrives, kept in
 *   the resource's diagnostics (as @pulumi/command's `logging`).
 * - `none`: nothing while it runs; a failure still quotes the output.
 */
export const COMMAND_LOGGING = ["progress", "stdout", "stderr", "stdoutAndStderr", "none"] as const;
export type CommandLogging = (typeof COMMAND_LOGGING)[number];
export const DEFAULT_COMMAND_LOGGING: CommandLogging = "progress";

/** Pieces of a secret shorter than this are not searched for: they would blank ordinary words. */
const MIN_SECRET_PIECE = 8;
/**
 * Stdin larger than this (an archive, not a key file) is searched for whole only: split into lines and
 * words it would make every line of output a search for thousands of pieces.
 */
const MAX_SPLIT_SECRET = 64 * 1024;
export const REDACTED = "[secret]";

/**
 * A function that blanks every appearance of the given secrets in a text: each whole secret, each of
 * its lines, and each of its words (a key file's values, "key = value" lines), longest first.
 */
export function secretRedactor(secrets: Array<string | undefined>): (text: string) => string {
    const pieces = new Set<string>();
    for (const secret of secrets) {
        if (!secret) continue;
        const parts = secret.length > MAX_SPLIT_SECRET ? [] : [...secret.split("\n").map((l) => l.trim()), ...secret.split(/[\s=:"',;]+/)];
        for (const piece of [secret.trim(), ...parts]) {
            if (piece.length >= MIN_SECRET_PIECE) pieces.add(piece);
        }
    }
    const ordered = [...pieces].sort((a, b) => b.length - a.length);
    if (ordered.length === 0) return (text) => text;
    return (text) => ordered.reduce((out, piece) => out.split(piece).join(REDACTED), text);
}

/** Whether `mode` shows every line of `stream`. */
function showsStream(mode: CommandLogging, stream: "stdout" | "stderr"): boolean {
    return mode === "stdoutAndStderr" || mode === stream;
}

/**
 * Splits output into lines as it arrives and logs what `mode` shows, redacted. `end` says the last
 * lines that had no newline.
 */
export function outputForwarder(
    mode: CommandLogging,
    log: Pick<ResourceLog, "info" | "status">,
    redact: (text: string) => string,
): { onOutput: OutputListener; end(): void } {
    const partial = { stdout: "", stderr: "" };
    const line = (stream: "stdout" | "stderr", text: string) => {
        const clean = text.replace(/\r$/, "");
        if (clean.trim() === "" || mode === "none") return;
        if (clean.startsWith(PROGRESS_LINE_PREFIX)) log.status(redact(clean.slice(PROGRESS_LINE_PREFIX.length)));
        else if (showsStream(mode, stream)) log.info(redact(clean));
    };
    return {
        onOutput(stream, chunk) {
            const lines = (partial[stream] + chunk).split("\n");
            partial[stream] = lines.pop()!;
            for (const l of lines) line(stream, l);
        },
        end() {
            for (const stream of ["stdout", "stderr"] as const) {
                line(stream, partial[stream]);
                partial[stream] = "";
            }
        },
    };
}

/** Output as recorded in state: without the progress lines, which said only how far it had got. */
export function withoutProgressLines(text: string): string {
    if (!text.includes(PROGRESS_LINE_PREFIX)) return text;
    return text
        .split("\n")
        .filter((l) => !l.startsWith(PROGRESS_LINE_PREFIX))
        .join("\n");
}
