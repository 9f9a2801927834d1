/**
 * A definition that runs one state and stops: `StartAt` is the state, every way out of it
 * (`Next`, each Choice rule, `Default`, each catcher) leads to a Pass state that ends the
 * execution and says where the state would have gone. `Retry` is left out: TestState runs one
 * attempt and reports RETRIABLE instead of retrying (`state.ts` decides). Each catcher stores
 * the whole error output (its `ResultPath`, `Output` and `Assign` are dropped), so its Error and
 * Cause are known; the caller applies the catcher's own fields afterwards.
 */
import { SNS_PUBLISH } from "../../deploy/asl/sns-task";
import { State } from "./state";
import { isObject } from "../../deploy/asl/json";

/** Key of the exit record in the output of an exit state. */
export const EXIT_KEY = "\u00a7testState";
const EXIT_PREFIX = "\u00a7test-state:";
const VARIABLES_STATE = "\u00a7test-state:variables";

/** Where the tested state went: its `Next`, or catcher `index`'s `Next` (its output is the error output). */
export type Exit =
    { readonly kind: "next"; readonly target: string; readonly output: unknown } | { readonly kind: "catch"; readonly index: number; readonly output: unknown };

/** Fields of a Map or Parallel state that describe its iterations, which a mock replaces. */
const ITERATION_FIELDS = [
    "Items",
    "ItemsPath",
    "ItemSelector",
    "ItemProcessor",
    "Iterator",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "Label",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "Branches",
    "Parameters",
    "Arguments",
];

/**
 * A mocked state as a Task the local runner answers from the recording outbox (which returns the
 * mock): its own input, result and output processing stay, its iterations or call go.
 */
export function mockedAsTask(state: State, jsonata: boolean): State {
    if (state.Type === "Task") return { ...state, Resource: SNS_PUBLISH };
    const task: State = { ...state, Type: "Task", Resource: SNS_PUBLISH };
    for (const field of ITERATION_FIELDS) delete task[field];
    return jsonata ? task : { ...task, Parameters: {} };
}

/** `definition` reduced to the state `name` (replaced by `tested`) and its exits; `variables` are assigned first. */
export function isolateState(definition: Record<string, unknown>, name: string, tested: State, variables?: Record<string, unknown>): Record<string, unknown> {
    const exits: Record<string, unknown> = {};
    const exit = (record: Record<string, string | number>): string => {
        const id = `${EXIT_PREFIX}${record.kind}:${record.kind === "next" ? record.target : record.index}`;
        exits[id] = { Type: "Pass", QueryLanguage: "JSONPath", Parameters: { [EXIT_KEY]: record, "output.$": "$" }, End: true };
        return id;
    };
    const copy: State = { ...tested };
    delete copy.Retry;
    if (typeof copy.Next === "string") copy.Next = exit({ kind: "next", target: copy.Next });
    if (typeof copy.Default === "string") copy.Default = exit({ kind: "next", target: copy.Default });
    if (Array.isArray(copy.Choices))
        copy.Choices = copy.Choices.map((rule: Record<string, unknown>) =>
            typeof rule.Next === "string" ? { ...rule, Next: exit({ kind: "next", target: rule.Next }) } : rule,
        );
    if (Array.isArray(copy.Catch))
        copy.Catch = copy.Catch.map((catcher: Record<string, unknown>, index: number) => {
            // No ResultPath means "$": the error output replaces the input, so the exit state sees all of it.
            const { ResultPath: _resultPath, Output: _output, Assign: _assign, ...rest } = catcher;
            return { ...rest, Next: exit({ kind: "catch", index }) };
        });
    // TestState's `variables` exist before the state runs: a JSONPath Pass assigns them as literals.
    const start = variables ? { [VARIABLES_STATE]: { Type: "Pass", QueryLanguage: "JSONPath", Assign: literals(variables), Next: name } } : {};
    return { ...definition, StartAt: variables ? VARIABLES_STATE : name, States: { ...start, [name]: copy, ...exits } };
}

/** `value` as JSONPath `Assign` literals: a key ending `.$` would be read as a path, so none may. */
function literals(value: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !k.endsWith(".$")));
}

/** The exit an execution of an isolated definition ended in; undefined when the state ended it itself. */
export function exitOf(output: unknown): Exit | undefined {
    if (!isObject(output) || !isObject(output[EXIT_KEY])) return undefined;
    const record = output[EXIT_KEY];
    return record.kind === "catch"
        ? { kind: "catch", index: Number(record.index), output: output.output }
        : { kind: "next", target: String(record.target), output: output.output };
}
