// The data path's table: per workload and engine the median of the runs with their min and max, the
// ratio of the SDK's median time to the engine's (above 1: faster than the SDK), every run more than
// 25% from its cell's median (with the machine's load when it ran), and peak RSS per mount.
import { ENGINE_LABELS, EngineName, Workload } from "./workloads";

export interface Run {
    workload: string;
    engine: EngineName;
    run: number;
    seconds: number;
    closeSeconds?: number;
    rssMib?: number;
    /** The machine's 1-minute load average when the run started. */
    load: number;
}

const OUTLIER = 0.25;

export function medianOf(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

type Metric = "seconds" | "closeSeconds";

function cell(values: number[], sdkMedian: number | undefined): string {
    const m = medianOf(values);
    const spread = `${m.toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
    return sdkMedian === undefined ? spread : `${spread}, **${(sdkMedian / m).toFixed(2)}x**`;
}

export function report(workloads: Workload[], runs: Run[], header: string[]): string[] {
    const engines = (Object.keys(ENGINE_LABELS) as EngineName[]).filter((e) => runs.some((r) => r.engine === e));
    const values = (w: string, e: EngineName, metric: Metric) =>
        runs.filter((r) => r.workload === w && r.engine === e && r[metric] !== undefined).map((r) => r[metric]!);
    const rows = [
        ...header,
        "",
        "Seconds: median (min–max) of the runs, and the SDK's median time over the engine's (**1.00x** is the SDK's speed).",
        "Writes have two rows: until the last `close` returned, and until the bucket held every byte.",
        "",
        `| workload | ${engines.map((e) => ENGINE_LABELS[e]).join(" | ")} |`,
        `|---|${engines.map(() => "---").join("|")}|`,
    ];
    const outliers: string[] = [];
    for (const w of workloads) {
        const metrics: Array<[Metric, string]> = w.writes
            ? [
                  ["closeSeconds", `${w.title}: close returns`],
                  ["seconds", `${w.title}: in the bucket`],
              ]
            : [["seconds", w.title]];
        for (const [metric, title] of metrics) {
            const sdk = values(w.id, "sdk", "seconds");
            const sdkMedian = sdk.length ? medianOf(sdk) : undefined;
            const cells = engines.map((e) => {
                const v = values(w.id, e, metric);
                if (v.length === 0) return "–";
                const m = medianOf(v);
                for (const r of runs.filter((r) => r.workload === w.id && r.engine === e && r[metric] !== undefined)) {
                    const off = (r[metric]! - m) / m;
                    if (Math.abs(off) > OUTLIER)
                        outliers.push(
                            `- ${title}, ${ENGINE_LABELS[e]}, run ${r.run}: ${r[metric]!.toFixed(2)} s, ${off > 0 ? "+" : ""}${(off * 100).toFixed(0)}% from the median ${m.toFixed(2)} s (load ${r.load.toFixed(2)})`,
                        );
                }
                return cell(v, e === "sdk" ? undefined : sdkMedian);
            });
            rows.push(`| ${title} | ${cells.join(" | ")} |`);
        }
    }
    rows.push("", `Runs more than ${OUTLIER * 100}% from their median (each needs an explanation before a figure is quoted):`, "");
    rows.push(...(outliers.length ? outliers : ["- none"]));
    const mounts = engines.filter((e) => runs.some((r) => r.engine === e && r.rssMib !== undefined));
    rows.push("", "Peak RSS of the mount process (geesefs or rclone), MiB, the most of any run:", "");
    rows.push(`| workload | ${mounts.map((e) => ENGINE_LABELS[e]).join(" | ")} |`, `|---|${mounts.map(() => "---").join("|")}|`);
    for (const w of workloads) {
        const cells = mounts.map((e) => {
            const rss = runs.filter((r) => r.workload === w.id && r.engine === e && r.rssMib !== undefined).map((r) => r.rssMib!);
            return rss.length ? Math.max(...rss).toFixed(0) : "–";
        });
        rows.push(`| ${w.title} | ${cells.join(" | ")} |`);
    }
    return rows;
}
