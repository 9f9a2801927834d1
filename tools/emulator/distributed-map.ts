/**
 * Distributed Map for the local engine: each `"Mode": "DISTRIBUTED"` Map is lowered into a Task served locally that does what a Map Run
 * does: read the items (`ItemReader` from the local object store, or `ItemsPath`), batch them
 * (`ItemBatcher`, with `BatchInput`), run each batch as a child execution of the `ItemProcessor`
 * (at most `MaxConcurrency` at once), and fail with `States.ExceedToleratedFailureThreshold` when
 * more than `ToleratedFailurePercentage` of the items failed; no child starts after that, but those
 * already running finish (AWS stops them). A failed child's place in the output
 * holds `{ Error, Cause }` (what AWS puts there is UNKNOWN; the collection reads neither).
 * The Map's own `ResultSelector`, `ResultPath`, `Retry` and `Catch` stay on the Task.
 */
import { isObject } from "../../deploy/asl/json";
import { mapNestedMachines } from "./definition";
import { TaskError, runtimeError } from "./errors";
import { PAYLOAD_LIMIT_BYTES } from "./transport";
import { stateCause } from "../engine/jsonata-eval";
import { resolvePayload } from "../engine/payload";
import { tryReadPath } from "../engine/scope";
import type { TaskHandlerContext } from "../engine/types";
import { LocalObjectStore } from "./s3";

/** The `Resource` of a lowered Distributed Map (never sent anywhere). */
export const DISTRIBUTED_MAP = "arn:aws:states:::local:distributed-map";

type Rec = Record<string, unknown>;

/** True for a Map state in distributed mode. */
export function isDistributedMap(state: unknown): state is Rec {
    return (
        isObject(state) &&
        state.Type === "Map" &&
        isObject(state.ItemProcessor) &&
        (state.ItemProcessor.ProcessorConfig as Rec | undefined)?.Mode === "DISTRIBUTED"
    );
}

/** `definition` with every Distributed Map (nested ones included) replaced by its local Task. */
export function lowerDistributedMaps(definition: unknown): unknown {
    if (!isObject(definition) || !isObject(definition.States)) return definition;
    const states: Rec = {};
    for (const [name, state] of Object.entries(definition.States)) {
        if (isDistributedMap(state)) {
            const kept = ["Comment", "ResultSelector", "ResultPath", "OutputPath", "InputPath", "Retry", "Catch", "Next", "End"];
            states[name] = {
                Type: "Task",
                Resource: DISTRIBUTED_MAP,
                ...Object.fromEntries(kept.filter((k) => state[k] !== undefined).map((k) => [k, state[k]])),
            };
        } else states[name] = mapNestedMachines(state, lowerDistributedMaps);
    }
    return { ...definition, States: states };
}

/** The child state machine of a Distributed Map: its `ItemProcessor` without `ProcessorConfig`. */
export function childDefinition(state: Rec): Rec {
    const { ProcessorConfig: _mode, ...processor } = state.ItemProcessor as Rec;
    return processor;
}

/** The value at a JSONPath (the engine's reader: `$.a['b-c']`, `$var`, `$$.Execution.Id` ...). */
function at(input: unknown, jsonPath: string, stateName: string, ctx?: TaskHandlerContext): unknown {
    const value = tryReadPath(jsonPath, { input, context: ctx?.context ?? {}, variables: ctx?.variables ?? {} });
    if (value === undefined) throw runtimeError(`State \`${stateName}\`: \`${jsonPath}\` does not point to a value.`);
    return value;
}

/** A `States.Runtime` with AWS's cause prefix for the Map state (recorded causes quote the entered event id). */
function mapFailure(ctx: TaskHandlerContext | undefined, name: string, message: string): TaskError {
    return runtimeError(ctx?.ref ? stateCause(ctx.ref, message) : `State \`${name}\`: ${message}`);
}

/**
 * The Map Run's failure tolerance: `ToleratedFailureCount(Path)` and `ToleratedFailurePercentage(Path)`, each "the
 * maximum number (percentage) of failed items before the Map Run fails" (AWS `DescribeMapRun` API reference), so
 * exceeding either fails it; neither means none is tolerated. Invalid values fail with AWS's recorded causes
 * (LocalStack scenarios `test_map_state_tolerated_failure_count_path`/`_percentage_path`).
 */
function tolerance(state: Rec, input: unknown, name: string, ctx: TaskHandlerContext | undefined): { count?: number; percentage?: number } {
    const read = (field: string, kind: "integer" | "float"): number | undefined => {
        if (typeof state[field] === "number") return state[field] as number;
        const path = state[`${field}Path`];
        if (typeof path !== "string") return undefined;
        const value = at(input, path, name, ctx);
        // Recorded on AWS: a number in a string counts (assign `test_reference_in_map_state` TOLERATED_FAILURE_PATH), "NoNumber" and {} do not.
        const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
        if (Number.isNaN(n) || (kind === "integer" && !Number.isInteger(n)))
            throw mapFailure(
                ctx,
                name,
                `The ${field}Path field refers to value "${typeof value === "string" ? value : JSON.stringify(value)}" which is not a valid ${kind}: ${path}`,
            );
        return n;
    };
    const count = read("ToleratedFailureCount", "integer");
    const percentage = read("ToleratedFailurePercentage", "float");
    if (count !== undefined && count < 0) throw mapFailure(ctx, name, "ToleratedFailureCount cannot be negative.");
    if (percentage !== undefined && (percentage < 0 || percentage > 100)) throw mapFailure(ctx, name, "ToleratedFailurePercentage must be between 0 and 100.");
    return { count, percentage };
}

/** A payload template (`.$` paths, intrinsics) resolved against `input` by the engine's rules. */
function resolveTemplate(template: unknown, input: unknown, stateName: string, ctx?: TaskHandlerContext, context?: unknown): unknown {
    const ref = ctx?.ref ?? { state: stateName, enteredId: 0 };
    return resolvePayload(template, { input, context: context ?? ctx?.context ?? {}, variables: ctx?.variables ?? {} }, ref);
}

/**
 * The limit an Express child execution runs within: 300 s on AWS (docs/aws-facts.md §20), measured
 * on `now` (ms). Tests pass a clock that their Wait states advance, and a child that ends past the
 * limit fails with `States.Timeout`. Locally the child runs to its own end and is judged then; AWS
 * stops it at the limit, so it may have stored fewer pages than the local child did (what it stored
 * before stays, locally and on AWS).
 */
export interface ExpressLimit {
    readonly seconds: number;
    readonly now: () => number;
}

/** AWS's limit on the real clock. */
export const EXPRESS_LIMIT: ExpressLimit = { seconds: 300, now: Date.now };

/** What a Map Run did, for summaries. */
export interface MapRunRecord {
    readonly state: string;
    /** `ItemProcessor.ProcessorConfig.ExecutionType`: how AWS would bill the children (docs/aws-facts.md §20). */
    readonly executionType: "STANDARD" | "EXPRESS";
    readonly items: number;
    readonly children: number;
    readonly failedChildren: number;
    /** Express children that ran past their limit (`States.Timeout`); present when there were any. */
    readonly timedOutChildren?: number;
}

/** A child run's outcome, as the runner reports it. */
export type ChildOutcome =
    { readonly status: "SUCCEEDED"; readonly output?: unknown } | { readonly status: "FAILED"; readonly error?: string; readonly cause?: string };

/** The local handler of a lowered Distributed Map. */
export function distributedMapHandler(
    name: string,
    state: Rec,
    runChild: (input: unknown) => Promise<ChildOutcome>,
    store: LocalObjectStore | undefined,
    record: (run: MapRunRecord) => void,
    expressLimit: ExpressLimit = EXPRESS_LIMIT,
): (input: unknown, ctx?: TaskHandlerContext) => Promise<unknown[]> {
    if ((state.ItemSelector !== undefined || state.Parameters !== undefined) && state.QueryLanguage === "JSONata")
        throw new Error(
            `State \`${name}\`: the local Distributed Map does not emulate a JSONata \`ItemSelector\`; pass context in \`ItemBatcher.BatchInput\`.`,
        );
    const selector = state.ItemSelector ?? state.Parameters;
    const reader = isObject(state.ItemReader) ? state.ItemReader : undefined;
    const batcher = isObject(state.ItemBatcher) ? state.ItemBatcher : undefined;
    const maxConcurrency = typeof state.MaxConcurrency === "number" && state.MaxConcurrency > 0 ? state.MaxConcurrency : Infinity;
    const executionType =
        (state.ItemProcessor as Rec).ProcessorConfig && ((state.ItemProcessor as Rec).ProcessorConfig as Rec).ExecutionType === "EXPRESS"
            ? "EXPRESS"
            : "STANDARD";
    return async (input, ctx) => {
        const { count: toleratedCount, percentage: toleratedPercentage } = tolerance(state, input, name, ctx);
        const tolerated = toleratedPercentage ?? 0;
        let items: unknown[];
        if (reader) {
            if (!store) throw runtimeError(`State \`${name}\`: the local runner has no object store for its ItemReader.`);
            const p = (reader.Parameters ?? {}) as Rec;
            items = store.readItems(String(p.Bucket), String(p.Key));
            const maxItems = (reader.ReaderConfig as Rec | undefined)?.MaxItems;
            if (typeof maxItems === "number") items = items.slice(0, maxItems);
        } else {
            const value = at(input, typeof state.ItemsPath === "string" ? state.ItemsPath : "$", name, ctx);
            if (!Array.isArray(value)) throw runtimeError(`State \`${name}\`: the items are not an array.`);
            items = value;
        }
        // ItemSelector: each item's input, with `$$.Map.Item` (AWS "ItemSelector (Map)"), before batching.
        if (selector !== undefined) {
            const base = (ctx?.context ?? {}) as Rec;
            items = items.map((Value, Index) => resolveTemplate(selector, input, name, ctx, { ...base, Map: { Item: { Index, Value } } }));
        }
        const size = batcher ? Number(batcher.MaxItemsPerBatch) : 1;
        const batchInput = batcher?.BatchInput === undefined ? undefined : resolveTemplate(batcher.BatchInput, input, name, ctx);
        const batches: { input: unknown; count: number }[] = [];
        for (let i = 0; i < items.length; i += size) {
            const chunk = items.slice(i, i + size);
            batches.push({
                input: batcher ? { Items: chunk, ...(batchInput === undefined ? {} : { BatchInput: batchInput }) } : chunk[0],
                count: chunk.length,
            });
        }
        const outputs: unknown[] = new Array(batches.length);
        let failedItems = 0;
        let failedChildren = 0;
        let timedOutChildren = 0;
        let next = 0;
        // Like a Map Run, no child starts once the failed items are past the tolerated share.
        const overThreshold = () =>
            (toleratedCount !== undefined && failedItems > toleratedCount) ||
            ((toleratedCount === undefined || toleratedPercentage !== undefined) && items.length > 0 && (failedItems / items.length) * 100 > tolerated);
        const worker = async () => {
            while (next < batches.length && !overThreshold()) {
                const index = next++;
                const started = expressLimit.now();
                let outcome = await runChild(batches[index].input);
                if (executionType === "EXPRESS" && expressLimit.now() - started > expressLimit.seconds * 1000) {
                    timedOutChildren++;
                    outcome = { status: "FAILED", error: "States.Timeout", cause: `The Express child execution ran longer than ${expressLimit.seconds} s.` };
                }
                if (outcome.status === "SUCCEEDED") outputs[index] = outcome.output ?? null;
                else {
                    failedItems += batches[index].count;
                    failedChildren++;
                    outputs[index] = { Error: outcome.error ?? "States.TaskFailed", Cause: outcome.cause ?? "" };
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(maxConcurrency, Math.max(batches.length, 1)) }, worker));
        record({
            state: name,
            executionType,
            items: items.length,
            children: batches.length,
            failedChildren,
            ...(timedOutChildren ? { timedOutChildren } : {}),
        });
        if (overThreshold())
            throw new TaskError(
                "States.ExceedToleratedFailureThreshold",
                `${failedItems} of ${items.length} items failed (${failedChildren} of ${batches.length} child executions); tolerated: ${tolerated}%.`,
            );
        // Without a ResultWriter the children's results are the Map's result, under the payload quota.
        if (Buffer.byteLength(JSON.stringify(outputs)) > PAYLOAD_LIMIT_BYTES)
            throw new TaskError("States.DataLimitExceeded", `The Map Run's results exceed ${PAYLOAD_LIMIT_BYTES} bytes.`);
        return outputs;
    };
}
