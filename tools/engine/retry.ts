/**
 * Retry and Catch matching (AWS "Handling errors in Step Functions workflows"). `States.ALL` matches
 * every error but the terminal ones; `States.TaskFailed` matches every error but `States.Timeout`;
 * `States.Runtime` and `States.DataLimitExceeded` are never retried nor caught, not even when named
 * (recorded on AWS: LocalStack `scenarios/test_base_scenarios.py::test_catch_states_runtime`, where a
 * Catch on `States.Runtime` does not catch it). A retrier's attempts are counted per retrier; the
 * first retrier whose ErrorEquals matches decides, and once it is exhausted the error goes to Catch.
 * Wait = IntervalSeconds (default 1) × BackoffRate (default 2) ^ attempt, capped by MaxDelaySeconds;
 * JitterStrategy FULL waits a random time between 0 and that.
 */
import { Rec } from "./types";

/** Errors that neither Retry nor Catch handle (docs/aws-facts.md §5.1). */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/** True when `errorEquals` (a retrier's or catcher's list) handles `error`. */
export function errorMatches(errorEquals: unknown, error: string): boolean {
    if (TERMINAL_ERRORS.has(error) || !Array.isArray(errorEquals)) return false;
    for (const name of errorEquals) {
        if (name === error || name === "States.ALL") return true;
        if (name === "States.TaskFailed" && error !== "States.Timeout") return true;
    }
    return false;
}

/** The index of the first retrier or catcher that handles `error`, or -1. */
export function firstMatch(handlers: unknown, error: string): number {
    if (!Array.isArray(handlers)) return -1;
    for (let i = 0; i < handlers.length; i++) if (errorMatches((handlers[i] as Rec).ErrorEquals, error)) return i;
    return -1;
}

/** The wait in ms before retry number `attempt` (0-based) of `retrier`, at AWS's real times. */
export function retryDelayMs(retrier: Rec, attempt: number, random: () => number = Math.random): number {
    const interval = typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : 1;
    const backoff = typeof retrier.BackoffRate === "number" ? retrier.BackoffRate : 2;
    let seconds = interval * backoff ** attempt;
    if (typeof retrier.MaxDelaySeconds === "number") seconds = Math.min(seconds, retrier.MaxDelaySeconds);
    if (retrier.JitterStrategy === "FULL") seconds *= random();
    return seconds * 1000;
}

/** The maximum number of retries of a retrier (MaxAttempts, default 3; 0 = never). */
export function maxAttempts(retrier: Rec): number {
    return typeof retrier.MaxAttempts === "number" ? retrier.MaxAttempts : 3;
}

/** The retry wait in ms: an override (one number, or one per retrier) wins over the real time. */
export function waitFor(override: number | readonly number[] | undefined, index: number, retrier: Rec, attempt: number): number {
    if (typeof override === "number") return override;
    if (Array.isArray(override) && typeof override[index] === "number") return override[index];
    return retryDelayMs(retrier, attempt);
}

/** Resolves after `ms` (no timer for 0, so shortened retries cost nothing). */
export function sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
}
