/**
 * Bounded concurrency for the bench and the soak: at most `concurrency` tasks in flight, at most
 * `count` tasks in all, and no new task after `deadlineMs`, so every loop ends on its own.
 */

/** Outcome of a pool run. */
export interface PoolRun<T> {
    readonly results: T[];
    /** Tasks started (less than `count` when the deadline stopped the pool). */
    readonly started: number;
    readonly elapsedMs: number;
}

/** Runs `task(i)` for i in [0, count) with bounded concurrency and a start deadline. */
export async function runPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>, deadlineMs = 10 * 60_000): Promise<PoolRun<T>> {
    const results: T[] = [];
    const started = performance.now();
    const stopAt = started + deadlineMs;
    let next = 0;
    const worker = async () => {
        while (next < count && performance.now() < stopAt) {
            const i = next++;
            results[i] = await task(i);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
    return { results: results.filter((r) => r !== undefined), started: next, elapsedMs: performance.now() - started };
}

/** The `p`-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return 0;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
