/**
 * Retry and Catch around one state attempt (Task, Map, Parallel), per AWS "Handling errors in Step
 * Functions workflows". A retried attempt sees `$$.State.RetryCount` grow. A catcher's output:
 * JSONPath ResultPath (default `$`: the error output `{Error, Cause}` replaces the input) and
 * `Assign` with `$` = the error output; JSONata `Output` (default `$states.errorOutput`) and `Assign`,
 * with `$states.errorOutput` bound.
 */
import { assignJsonata, assignJsonPath, Outcome, StateEnv, statesOf } from "./env";
import { bindingsOf, evaluateTemplate } from "./jsonata-eval";
import { applyResultPath } from "./payload";
import { firstMatch, maxAttempts, sleep, waitFor } from "./retry";
import { EngineError } from "./scope";
import { Rec } from "./types";

/** Any thrown value as an EngineError (a plain Error keeps its name and message, as AWS reports a task's error type). */
export function asEngineError(e: unknown): EngineError {
    if (e instanceof EngineError) return e;
    if (e instanceof Error) return new EngineError(e.name || "Error", e.message);
    return new EngineError("States.TaskFailed", String(e));
}

/** The state's outcome once a catcher handled `error`. */
async function caughtOutcome(env: StateEnv, catcher: Rec, error: EngineError): Promise<Outcome> {
    const errorOutput = { Error: error.name, Cause: error.message };
    const next = catcher.Next as string;
    if (env.ql === "JSONata") {
        const states = statesOf(env, { errorOutput });
        const bindings = bindingsOf(env.variables, states);
        const assigned = await assignJsonata(env, catcher.Assign, states, bindings);
        const output = catcher.Output === undefined ? errorOutput : await evaluateTemplate(catcher.Output, bindings, { ...env.ref, field: "Output" });
        return { output, next, assigned, caught: error.name };
    }
    const assigned = assignJsonPath(env, catcher.Assign, errorOutput);
    return { output: applyResultPath(catcher.ResultPath, env.input, errorOutput, env.ref), next, assigned, caught: error.name };
}

/**
 * Runs `attempt(retryCount)` until it succeeds, a retrier gives up, or the error is caught; emits
 * `failedEvent` (e.g. `TaskFailed`) for every failed attempt.
 */
export async function withRecovery(env: StateEnv, failedEvent: string, attempt: (retryCount: number) => Promise<Outcome>): Promise<Outcome> {
    const { def, run } = env;
    const counts: number[] = [];
    for (let retryCount = 0; ; retryCount++) {
        try {
            return await attempt(retryCount);
        } catch (e) {
            const error = asEngineError(e);
            run.emit(
                error.name === "States.Timeout" && failedEvent === "TaskFailed" ? "TaskTimedOut" : failedEvent,
                env.ref.state,
                undefined,
                error.name,
                error.message,
            );
            if (env.signal.isStopped) throw error;
            const r = firstMatch(def.Retry, error.name);
            const retrier = r >= 0 ? ((def.Retry as Rec[])[r] as Rec) : undefined;
            if (retrier && (counts[r] ?? 0) < maxAttempts(retrier)) {
                const wait = waitFor(run.options.retryWaitOverrides?.[env.ref.state], r, retrier, counts[r] ?? 0);
                counts[r] = (counts[r] ?? 0) + 1;
                await sleep(wait);
                continue;
            }
            const c = firstMatch(def.Catch, error.name);
            if (c < 0) throw error;
            return caughtOutcome(env, (def.Catch as Rec[])[c], error);
        }
    }
}
