// What an `up` spent its time on, from the engine's own events: when each resource's step started and
// finished (seen by this process as the events arrive), grouped by kind, so a bench can say which steps
// ran one after another and which overlapped.
import type { EngineEvent } from "@pulumi/pulumi/automation";

export interface StepSpan {
    urn: string;
    op: string;
    start: number;
    end?: number;
}

export class EngineProfile {
    readonly spans = new Map<string, StepSpan>();
    private readonly origin = Date.now();
    /** Seconds from the start to the first step event (any op, "same" too) and to the last one. */
    firstStep?: number;
    lastStep?: number;

    /** Pass as `onEvent` to stack.up(). */
    readonly onEvent = (event: EngineEvent): void => {
        const now = (Date.now() - this.origin) / 1000;
        const pre = event.resourcePreEvent?.metadata;
        if (pre || event.resOutputsEvent) {
            this.firstStep ??= now;
            this.lastStep = now;
        }
        if (pre && pre.op !== "same") this.spans.set(pre.urn, { urn: pre.urn, op: pre.op, start: now });
        const done = event.resOutputsEvent?.metadata;
        const span = done && this.spans.get(done.urn);
        if (span) span.end = now;
    };

    /** When the steps ran within the operation: what came before them is the engine's and program's start. */
    phases(totalSeconds: number): string {
        const f = (n?: number) => (n === undefined ? "?" : n.toFixed(1));
        return `first step at ${f(this.firstStep)} s, last at ${f(this.lastStep)} s, done at ${totalSeconds.toFixed(1)} s`;
    }

    /** Per kind of step (a RemoteCommand's name without its host: "install", "mount", "present"): first
     *  start, last end, the longest single step and the most that ran at once. */
    summary(kindOf: (urn: string) => string | undefined): string[] {
        const kinds = new Map<string, StepSpan[]>();
        for (const span of this.spans.values()) {
            const kind = kindOf(span.urn);
            if (kind === undefined || span.end === undefined) continue;
            kinds.set(kind, [...(kinds.get(kind) ?? []), span]);
        }
        return [...kinds.entries()].map(([kind, spans]) => {
            const first = Math.min(...spans.map((s) => s.start));
            const last = Math.max(...spans.map((s) => s.end!));
            const longest = Math.max(...spans.map((s) => s.end! - s.start));
            const overlap = Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && o.end! > s.start).length));
            return `${kind}: ${spans.length} steps from ${first.toFixed(1)} s to ${last.toFixed(1)} s, longest ${longest.toFixed(1)} s, at most ${overlap} at once`;
        });
    }
}

/** The kind of a SkyVolume child ("bench-h12-install" → "install"), else undefined. */
export function volumeStepKind(urn: string): string | undefined {
    const name = urn.split("::").pop() ?? "";
    return /-h\d+-(install|mount|present)/.exec(name)?.[1];
}
