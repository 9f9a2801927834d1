/**
 * The Task state (AWS "Task workflow state"): JSONPath InputPath → Parameters, or JSONata `Arguments`;
 * the local handler for the state's name does the work; `TimeoutSeconds` (JSONPath
 * `TimeoutSecondsPath`, a JSONata expression) ends an attempt with `States.Timeout`; the result goes
 * through the language's output pipeline; Retry and Catch apply to the whole attempt.
 * Events as AWS records them: TaskScheduled, TaskStarted, TaskSucceeded / TaskFailed / TaskTimedOut.
 */
import { effectiveInput, finishWithResult, Outcome, pathScope, StateEnv, statesOf } from "./env";
import { bindingsOf, evaluateTemplate, evaluateTyped } from "./jsonata-eval";
import { resolvePayload, runtimeFailure, selectPath } from "./payload";
import { withRecovery } from "./recovery";
import { EngineError } from "./scope";
import { checkPayloadSize } from "./size";
import { Rec } from "./types";

/** The task's effective input (Parameters / Arguments); `bindings` are the JSONata bindings of the attempt (undefined in JSONPath). */
async function taskInput(env: StateEnv, bindings: Rec | undefined): Promise<unknown> {
    const { def } = env;
    if (env.ql === "JSONata") return def.Arguments === undefined ? env.input : evaluateTemplate(def.Arguments, bindings!, { ...env.ref, field: "Arguments" });
    const effective = effectiveInput(env);
    return def.Parameters === undefined ? effective : resolvePayload(def.Parameters, pathScope(env, effective), env.ref);
}

/** TimeoutSeconds in seconds, or undefined for none. */
async function timeoutSeconds(env: StateEnv, bindings: Rec | undefined): Promise<number | undefined> {
    const { def } = env;
    if (env.ql === "JSONata" && def.TimeoutSeconds !== undefined)
        return (await evaluateTyped(def.TimeoutSeconds, "number", bindings!, { ...env.ref, field: "TimeoutSeconds" })) as number;
    if (typeof def.TimeoutSeconds === "number") return def.TimeoutSeconds;
    if (def.TimeoutSecondsPath !== undefined) return Number(selectPath(def.TimeoutSecondsPath, env.input, pathScope(env, env.input), env.ref));
    return undefined;
}

/** Races `work` against `seconds`; the timer never outlives the race. */
function withTimeout<T>(work: Promise<T>, seconds: number | undefined): Promise<T> {
    if (seconds === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        // UNKNOWN: the Cause AWS gives States.Timeout of a Task; we leave it empty.
        timer = setTimeout(() => reject(new EngineError("States.Timeout", "")), seconds * 1000);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs a Task state. */
export function runTask(env: StateEnv): Promise<Outcome> {
    const { run, def, ref } = env;
    return withRecovery(env, "TaskFailed", async (retryCount) => {
        (env.context.State as Rec).RetryCount = retryCount;
        // One set of JSONata bindings for Arguments and TimeoutSeconds: both see the same `$states` and variables.
        const bindings = env.ql === "JSONata" ? bindingsOf(env.variables, statesOf(env)) : undefined;
        const input = await taskInput(env, bindings);
        const handler = run.handlers[ref.state];
        if (!handler) throw runtimeFailure(ref, `No local handler serves the Task state '${ref.state}' (resource ${String(def.Resource)}).`);
        const seconds = await timeoutSeconds(env, bindings);
        run.emit("TaskScheduled", ref.state, input);
        run.emit("TaskStarted", ref.state);
        const result = await withTimeout(handler(input, { context: env.context, variables: env.variables, ref }), seconds);
        checkPayloadSize(result, ref.state);
        run.emit("TaskSucceeded", ref.state, result);
        const finished = await finishWithResult(env, result);
        return { ...finished, next: def.End === true ? undefined : (def.Next as string) };
    });
}
