/**
 * Parallel and inline Map states (AWS "Parallel workflow state", "Map state in Inline mode"). Each
 * branch or iteration runs in a scope of its own: it reads the outer variables (copied at its start)
 * and its assignments do not leak out (AWS "Passing data between states with variables", recorded on
 * AWS: LocalStack `assign/test_assign_base.py` BASE_SCOPE_MAP / BASE_SCOPE_PARALLEL). The first
 * failing branch or iteration fails the state with its error and stops the others (no state starts
 * in them afterwards). Results keep branch / item order. Map: items from JSONPath `ItemsPath` (over
 * the effective input) or JSONata `Items` (default the input; must be an array); each item's input is
 * `ItemSelector` (or the older `Parameters`) with `$$.Map.Item.{Index,Value}` / `$states.context.Map`,
 * else the item; `MaxConcurrency` (0 = unlimited; JSONPath `MaxConcurrencyPath`).
 */
import { contextOf, effectiveInput, finishWithResult, Outcome, pathScope, StateEnv, statesOf, Stopped } from "./env";
import { bindingsOf, evaluateTemplate, evaluateTyped, stateCause } from "./jsonata-eval";
import { resolvePayload, runtimeFailure, selectPath } from "./payload";
import { withRecovery } from "./recovery";
import { EngineError } from "./scope";
import { checkPayloadSize } from "./size";
import { QueryLanguage, Rec } from "./types";

/** Runs a nested machine (branch or item processor) with its own variable scope. */
export type RunMachine = (machine: Rec, input: unknown, variables: Rec, signal: Stopped, ql: QueryLanguage) => Promise<unknown>;

function nextOf(def: Rec): string | undefined {
    return def.End === true ? undefined : (def.Next as string);
}

/** Runs `count` jobs with at most `limit` at once (0 = all); the first failure stops new starts and rejects. */
async function pool(count: number, limit: number, signal: Stopped, job: (i: number) => Promise<unknown>): Promise<unknown[]> {
    const results = new Array<unknown>(count);
    let nextIndex = 0;
    const width = limit > 0 ? Math.min(limit, count) : count;
    const worker = async () => {
        while (nextIndex < count && !signal.isStopped) {
            const i = nextIndex++;
            try {
                results[i] = await job(i);
            } catch (e) {
                signal.stopped = true;
                throw e;
            }
        }
    };
    await Promise.all(Array.from({ length: width }, worker));
    return results;
}

/** Runs a Parallel state. */
export function runParallel(env: StateEnv, runMachine: RunMachine): Promise<Outcome> {
    const { def, run, ref } = env;
    const branches = def.Branches as Rec[];
    return withRecovery(env, "ParallelStateFailed", async () => {
        const input =
            env.ql === "JSONata"
                ? def.Arguments === undefined
                    ? env.input
                    : await evaluateTemplate(def.Arguments, bindingsOf(env.variables, statesOf(env)), { ...ref, field: "Arguments" })
                : def.Parameters === undefined
                  ? effectiveInput(env)
                  : resolvePayload(def.Parameters, pathScope(env, effectiveInput(env)), ref);
        run.emit("ParallelStateStarted", ref.state);
        const signal = new Stopped(env.signal);
        const result = await pool(branches.length, 0, signal, (i) => runMachine(branches[i], input, { ...env.variables }, signal, run.queryLanguage));
        checkPayloadSize(result, ref.state);
        run.emit("ParallelStateSucceeded", ref.state);
        return { ...(await finishWithResult(env, result)), next: nextOf(def) };
    });
}

/** The items of a Map and the input the item selector sees. */
async function itemsOf(env: StateEnv): Promise<{ items: unknown[]; selectorInput: unknown }> {
    const { def, ref } = env;
    if (env.ql === "JSONata") {
        const items =
            def.Items === undefined ? env.input : await evaluateTyped(def.Items, "array", bindingsOf(env.variables, statesOf(env)), { ...ref, field: "Items" });
        // Recorded on AWS (LocalStack scenarios test_map_state_items_input_types): a JSONata error, not States.Runtime.
        if (!Array.isArray(items))
            throw new EngineError("States.QueryEvaluationError", stateCause(ref, `Map state input must be an array but was: ${JSON.stringify(items)}`));
        return { items, selectorInput: env.input };
    }
    const effective = effectiveInput(env);
    const items = selectPath(def.ItemsPath, effective, pathScope(env, effective), ref);
    if (!Array.isArray(items))
        throw runtimeFailure(
            ref,
            `Invalid input for the Map state: ItemsPath '${String(def.ItemsPath ?? "$")}' must point to an array, not ${JSON.stringify(items)}.`,
        );
    return { items, selectorInput: effective };
}

async function maxConcurrency(env: StateEnv, input: unknown): Promise<number> {
    const { def } = env;
    if (env.ql === "JSONata" && typeof def.MaxConcurrency === "string")
        return (await evaluateTyped(def.MaxConcurrency, "number", bindingsOf(env.variables, statesOf(env)), { ...env.ref, field: "MaxConcurrency" })) as number;
    if (typeof def.MaxConcurrency === "number") return def.MaxConcurrency;
    if (def.MaxConcurrencyPath === undefined) return 0;
    const value = selectPath(def.MaxConcurrencyPath, input, pathScope(env, input), env.ref);
    // Recorded on AWS: `{}` and "NoNumber" fail with this cause (scenarios test_max_concurrency_path), "1" runs (assign MAX_CONCURRENCY_PATH).
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isInteger(n))
        throw runtimeFailure(
            env.ref,
            `The MaxConcurrencyPath field refers to value "${typeof value === "string" ? value : JSON.stringify(value)}" which is not a valid integer: ${String(def.MaxConcurrencyPath)}`,
        );
    return n;
}

/** Runs an inline Map state. */
export function runMap(env: StateEnv, runMachine: RunMachine): Promise<Outcome> {
    const { def, run, ref } = env;
    const processor = (def.ItemProcessor ?? def.Iterator) as Rec;
    const selector = def.ItemSelector ?? def.Parameters;
    return withRecovery(env, "MapStateFailed", async () => {
        const { items, selectorInput } = await itemsOf(env);
        const limit = await maxConcurrency(env, selectorInput);
        run.emit("MapStateStarted", ref.state, undefined, undefined, undefined, items.length);
        const signal = new Stopped(env.signal);
        const result = await pool(items.length, limit, signal, async (index) => {
            let input = items[index];
            if (selector !== undefined) {
                const context = contextOf(run, ref.state, "Map", 0, { Index: index, Value: items[index] });
                input =
                    env.ql === "JSONata"
                        ? await evaluateTemplate(selector, bindingsOf(env.variables, { input: env.input, context }), { ...ref, field: "ItemSelector" })
                        : resolvePayload(selector, { input: selectorInput, context, variables: env.variables }, ref);
            }
            run.emit("MapIterationStarted", ref.state, undefined, undefined, undefined, index);
            try {
                const output = await runMachine(processor, input, { ...env.variables }, signal, run.queryLanguage);
                run.emit("MapIterationSucceeded", ref.state, undefined, undefined, undefined, index);
                return output;
            } catch (e) {
                run.emit("MapIterationFailed", ref.state, undefined, (e as Error).name, (e as Error).message, index);
                throw e;
            }
        });
        checkPayloadSize(result, ref.state);
        run.emit("MapStateSucceeded", ref.state);
        return { ...(await finishWithResult(env, result)), next: nextOf(def) };
    });
}
