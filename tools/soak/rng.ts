// The soak's one source of chance: a seeded generator (mulberry32), so a seed replays the same
// schedule of faults, targets and pauses.
export interface Rng {
    /** A number in [0, 1). */
    next(): number;
    /** A number in [min, max). */
    between(min: number, max: number): number;
    pick<T>(items: readonly T[]): T;
    shuffle<T>(items: readonly T[]): T[];
}

export function seededRng(seed: number): Rng {
    let state = seed >>> 0;
    const next = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const rng: Rng = {
        next,
        between: (min, max) => min + (max - min) * next(),
        pick: (items) => items[Math.floor(next() * items.length)],
        shuffle: (items) => {
            const out = [...items];
            for (let i = out.length - 1; i > 0; i--) {
                const j = Math.floor(next() * (i + 1));
                [out[i], out[j]] = [out[j], out[i]];
            }
            return out;
        },
    };
    return rng;
}
