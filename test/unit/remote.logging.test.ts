// RemoteCommand's `logging`: output split into lines as it arrives, shown as the mode says, progress
// lines as status lines, and what came in on stdin never shown: not in a line, not in the failure, not
// in the recorded output. Through a fake transport that streams its output in awkward chunks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commandProvider } from "../../src/remote/commandProvider";
import { CommandLogging, outputForwarder, REDACTED, secretRedactor, withoutProgressLines } from "../../src/remote/outputLog";
import { HostTransport } from "../../src/remote/transport";
import type { ResourceLog } from "../../src/resource/engineLog";

/** A log that records what it is told, "info: …", "status: …", "warn: …". */
function recordingLog(): ResourceLog & { said: string[] } {
    const said: string[] = [];
    return {
        said,
        info: (m) => void said.push(`info: ${m}`),
        warn: (m) => void said.push(`warn: ${m}`),
        status: (m) => void said.push(`status: ${m}`),
        flush: async () => undefined,
        close: () => undefined,
    };
}

/** Streams `chunks` ([stream, text]) to the listener, then answers with the whole output and `exitCode`. */
function streamingTransport(chunks: Array<["stdout" | "stderr", string]>, exitCode = 0) {
    const transport: HostTransport<{ host: string }> = {
        describe: (t) => `root@${t.host}:22`,
        exec: async (_t, _command, _stdin, _timeout, onOutput) => {
            for (const [stream, text] of chunks) onOutput?.(stream, text);
            const of = (s: string) =>
                chunks
                    .filter(([stream]) => stream === s)
                    .map(([, t]) => t)
                    .join("")
                    .replace(/\n$/, "");
            return { stdout: of("stdout"), stderr: of("stderr"), exitCode };
        },
        placeOf: (t) => [t.host],
    };
    return transport;
}

const OUTPUT: Array<["stdout" | "stderr", string]> = [
    ["stdout", "hel"],
    ["stderr", "skymount-progress: installing fu"],
    ["stdout", "lo\r\nwor"],
    ["stderr", "se3\nwarn"],
    ["stdout", "ld\n\n"],
    ["stderr", "ing: slow"],
];

describe("what a command's output shows while it runs", () => {
    const said = (mode: CommandLogging) => {
        const log = recordingLog();
        const forwarder = outputForwarder(mode, log, (t) => t);
        for (const [stream, chunk] of OUTPUT) forwarder.onOutput(stream, chunk);
        forwarder.end();
        return log.said;
    };

    it("progress (the default): only the marked lines, as status lines, whole however they were chunked", () => {
        assert.deepEqual(said("progress"), ["status: installing fuse3"]);
    });

    it("stdout, stderr, stdoutAndStderr: every line of those streams too, kept; blank lines skipped, CR dropped", () => {
        assert.deepEqual(said("stdout"), ["info: hello", "status: installing fuse3", "info: world"]);
        assert.deepEqual(said("stderr"), ["status: installing fuse3", "info: warning: slow"]);
        assert.deepEqual(said("stdoutAndStderr"), ["info: hello", "status: installing fuse3", "info: world", "info: warning: slow"]);
    });

    it("none: nothing at all", () => {
        assert.deepEqual(said("none"), []);
    });

    it("progress lines are not part of the recorded output", () => {
        assert.equal(withoutProgressLines("a\nskymount-progress: 1/2\nb"), "a\nb");
        assert.equal(withoutProgressLines("plain"), "plain");
    });
});

describe("secrets given on stdin", () => {
    const keyFile = "[default]\naws_access_key_id = AKIAEXAMPLEKEY01\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";

    it("are blanked whole, by line and by word (8 characters and more: shorter ones would blank ordinary words)", () => {
        const redact = secretRedactor([keyFile, "pw=abc"]);
        assert.equal(redact("id AKIAEXAMPLEKEY01 here"), `id ${REDACTED} here`);
        assert.equal(redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), REDACTED);
        assert.equal(redact("secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY;"), `secret=${REDACTED};`);
        assert.equal(redact("[default] profile, pw=abc"), `${REDACTED} profile, pw=abc`);
        assert.equal(secretRedactor([])("unchanged"), "unchanged");
        // A big stdin (SkyCompute's workdir archive) is searched for whole only.
        const archive = `${"QUJD".repeat(20_000)}\nline-of-the-archive`;
        assert.equal(secretRedactor([archive])("line-of-the-archive"), "line-of-the-archive");
        assert.equal(secretRedactor([archive])(`x${archive}x`), `x${REDACTED}x`);
    });

    it("never reach the log, the failure or the recorded output, whatever the logging", async () => {
        const echoes: Array<["stdout" | "stderr", string]> = [
            ["stdout", "read: aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"],
            ["stderr", "skymount-progress: using AKIAEXAMPLEKEY01\n"],
            ["stderr", "failed with AKIAEXAMPLEKEY01\n"],
        ];
        for (const logging of ["progress", "stdoutAndStderr", "none", undefined] as const) {
            const log = recordingLog();
            const failing = commandProvider(streamingTransport(echoes, 2));
            const inputs = { connection: { host: "h" }, create: "install", stdin: keyFile, logging };
            const failure = await failing.create(inputs, log).then(
                () => assert.fail("the command failed"),
                (err: Error) => err.message,
            );
            assert.match(failure, /^create on root@h:22 exited with 2:\nfailed with \[secret\]\nread: \[secret\]$/);
            const ok = await commandProvider(streamingTransport(echoes, 0)).create(inputs, log);
            const recorded = JSON.stringify(ok.outs);
            for (const text of [failure, ...log.said, recorded.replace(JSON.stringify(keyFile), "")]) {
                assert.ok(!text.includes("AKIAEXAMPLEKEY01") && !text.includes("wJalrXUtnFEMI"), `${logging}: ${text}`);
            }
            assert.equal(ok.outs.stderr, "failed with [secret]", "recorded without the progress line, blanked");
        }
    });

    it("a failing delete quotes its output blanked too", async () => {
        const crud = commandProvider(streamingTransport([["stderr", "no AKIAEXAMPLEKEY01 here\n"]], 1));
        await assert.rejects(
            crud.delete!(
                "id",
                { connection: { host: "h" }, create: "c", delete: "d", stdin: keyFile, stdout: "", stderr: "" },
                recordingLog(),
            ),
            /^Error: delete on root@h:22 exited with 1:\nno \[secret\] here$/,
        );
    });
});
