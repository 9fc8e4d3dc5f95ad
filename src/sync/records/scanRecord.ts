// The program's part of a sync: scan the source tree, record its manifest in the local cache
// (manifestRecord.ts), and hand on only the record's ref (digest, count, bytes) and the scan's
// warnings. Where skymount runs compiled (installed from npm), this runs on a worker thread of its
// own: the manifest of a million files is hundreds of MB of the worker's heap, and a worker's heap
// is returned to the system the moment it exits. On the program's own thread, V8 keeps that memory
// for about a minute after the scan, exactly while the provider loads the same manifest to plan the
// upload, so the program's and the provider's peaks added up (bench/README.md, "Scale").
// From TypeScript sources (tests under tsx) there is no .js file to start a worker from, and the
// scan runs on the calling thread. Inside the standalone provider plugin there is no file at all: its
// release bundles this module on its own into the asset SCAN_WORKER_SCRIPT (tools/release/bundle.ts),
// which the worker runs as source text.
import { isMainThread, parentPort, Worker, WorkerOptions, workerData } from "node:worker_threads";
import { inSingleExecutable, readPackageFile } from "../../internal/packageFile";
import { scanTree } from "../scan/manifest";
import { LocalRecordRef, recordLocally } from "./manifestRecord";

export interface ScannedTree {
    ref: LocalRecordRef;
    warnings: string[];
}

interface ScanRequest {
    dir: string;
    ignore: string[];
}

/** Marks the worker this module starts, so a worker started for anything else is left alone. */
const SCAN_WORKER = "skymount-scan-record";

/** The scan and the record, on this thread. */
export async function scanAndRecordHere(request: ScanRequest): Promise<ScannedTree> {
    const scan = await scanTree(request.dir, request.ignore);
    return { ref: await recordLocally(scan.manifest), warnings: scan.warnings };
}

/** The standalone plugin's copy of this module, bundled alone: the path of its asset (where the npm package has the compiled file). */
export const SCAN_WORKER_SCRIPT = "dist/sync/records/scanRecord.js";

/** Whether this module is compiled JavaScript that a worker can start from: then scans run on a worker. */
export const scansOnAWorker = __filename.endsWith(".js") || inSingleExecutable();

/** A worker that runs this module: from its file, or inside the standalone plugin from the bundled asset's text. */
function scanWorker(options: WorkerOptions): Worker {
    if (inSingleExecutable()) return new Worker(readPackageFile(SCAN_WORKER_SCRIPT), { ...options, eval: true });
    return new Worker(__filename, options);
}

/** Scans `dir` and records its manifest locally: on a worker thread where skymount runs compiled, else here. */
export function scanAndRecord(request: ScanRequest): Promise<ScannedTree> {
    if (!scansOnAWorker) return scanAndRecordHere(request);
    return new Promise((resolve, reject) => {
        const worker = scanWorker({ workerData: { [SCAN_WORKER]: request } });
        let settled = false;
        worker.once("message", (message: { tree?: ScannedTree; error?: { message: string; stack?: string } }) => {
            settled = true;
            // Done (the record is written): end the thread now, its heap with it.
            void worker.terminate();
            if (message.tree) resolve(message.tree);
            else reject(Object.assign(new Error(message.error?.message), { stack: message.error?.stack }));
        });
        worker.once("error", (err) => {
            settled = true;
            reject(err);
        });
        worker.once("exit", (code) => {
            if (!settled) reject(new Error(`scanning ${request.dir}: the scan's worker exited with code ${code}`));
        });
    });
}

// The worker's side: one request, one answer, then the thread ends and its heap goes with it.
const request = !isMainThread ? (workerData as Record<string, ScanRequest> | undefined)?.[SCAN_WORKER] : undefined;
if (request && parentPort) {
    const port = parentPort;
    scanAndRecordHere(request).then(
        (tree) => port.postMessage({ tree }),
        (err: Error) => port.postMessage({ error: { message: err.message, stack: err.stack } }),
    );
}
