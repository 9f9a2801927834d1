/**
 * Distributed Map for the local engine. aws-local-stepfunctions 3.0 runs Map states inline only, so
 * each `"Mode": "DISTRIBUTED"` Map is lowered into a Task served locally that does what a Map Run
 * does: read the items (`ItemReader` from the local object store, or `ItemsPath`), batch them
 * (`ItemBatcher`, with `BatchInput`), run each batch as a child execution of the `ItemProcessor`
 * (at most `MaxConcurrency` at once), and fail with `States.ExceedToleratedFailureThreshold` when
 * more than `ToleratedFailurePercentage` of the items failed; no child starts after that, but those
 * already running finish (AWS stops them). A failed child's place in the output
 * holds `{ Error, Cause }` (what AWS puts there is UNKNOWN; the collection reads neither).
 * The Map's own `ResultSelector`, `ResultPath`, `Retry` and `Catch` stay on the Task.
 */
import { isObject } from "../../asl/json";
import { mapNestedMachines } from "./definition";
import { TaskError, runtimeError } from "./errors";
import { PAYLOAD_LIMIT_BYTES } from "./transport";
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

/** A value at a plain JSONPath (`$`, `$.a.b`); the lowering supports no other form. */
function at(input: unknown, jsonPath: string, stateName: string): unknown {
    if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(jsonPath))
        throw runtimeError(`State \`${stateName}\`: the local Distributed Map supports plain paths only, not \`${jsonPath}\`.`);
    let value = input;
    for (const key of jsonPath.split(".").slice(1)) {
        if (!isObject(value) || !(key in value)) throw runtimeError(`State \`${stateName}\`: \`${jsonPath}\` does not point to a value.`);
        value = value[key];
    }
    return value;
}

/** A payload template with plain `.$` paths, resolved against `input`. */
function resolveTemplate(template: unknown, input: unknown, stateName: string): unknown {
    if (!isObject(template)) return template;
    return Object.fromEntries(
        Object.entries(template).map(([key, value]) =>
            key.endsWith(".$") ? [key.slice(0, -2), at(input, String(value), stateName)] : [key, resolveTemplate(value, input, stateName)],
        ),
    );
}

/** What a Map Run did, for summaries. */
export interface MapRunRecord {
    readonly state: string;
    readonly items: number;
    readonly children: number;
    readonly failedChildren: number;
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
): (input: unknown) => Promise<unknown[]> {
    if (state.ItemSelector !== undefined || state.Parameters !== undefined)
        throw new Error(`State \`${name}\`: the local Distributed Map does not emulate \`ItemSelector\`; pass context in \`ItemBatcher.BatchInput\`.`);
    const reader = isObject(state.ItemReader) ? state.ItemReader : undefined;
    const batcher = isObject(state.ItemBatcher) ? state.ItemBatcher : undefined;
    const maxConcurrency = typeof state.MaxConcurrency === "number" && state.MaxConcurrency > 0 ? state.MaxConcurrency : Infinity;
    const tolerated = typeof state.ToleratedFailurePercentage === "number" ? state.ToleratedFailurePercentage : 0;
    return async (input) => {
        let items: unknown[];
        if (reader) {
            if (!store) throw runtimeError(`State \`${name}\`: the local runner has no object store for its ItemReader.`);
            const p = (reader.Parameters ?? {}) as Rec;
            items = store.readItems(String(p.Bucket), String(p.Key));
            const maxItems = (reader.ReaderConfig as Rec | undefined)?.MaxItems;
            if (typeof maxItems === "number") items = items.slice(0, maxItems);
        } else {
            const value = at(input, typeof state.ItemsPath === "string" ? state.ItemsPath : "$", name);
            if (!Array.isArray(value)) throw runtimeError(`State \`${name}\`: the items are not an array.`);
            items = value;
        }
        const size = batcher ? Number(batcher.MaxItemsPerBatch) : 1;
        const batchInput = batcher?.BatchInput === undefined ? undefined : resolveTemplate(batcher.BatchInput, input, name);
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
        let next = 0;
        // Like a Map Run, no child starts once the failed items are past the tolerated share.
        const overThreshold = () => items.length > 0 && (failedItems / items.length) * 100 > tolerated;
        const worker = async () => {
            while (next < batches.length && !overThreshold()) {
                const index = next++;
                const outcome = await runChild(batches[index].input);
                if (outcome.status === "SUCCEEDED") outputs[index] = outcome.output ?? null;
                else {
                    failedItems += batches[index].count;
                    failedChildren++;
                    outputs[index] = { Error: outcome.error ?? "States.TaskFailed", Cause: outcome.cause ?? "" };
                }
            }
        };
        await Promise.all(Array.from({ length: Math.min(maxConcurrency, Math.max(batches.length, 1)) }, worker));
        record({ state: name, items: items.length, children: batches.length, failedChildren });
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
