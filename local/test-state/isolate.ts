/**
 * A definition that runs one state and stops: `StartAt` is the state, every way out of it
 * (`Next`, each Choice rule, `Default`, each catcher) leads to a Pass state that ends the
 * execution and says where the state would have gone. `Retry` is left out: TestState runs one
 * attempt and reports RETRIABLE instead of retrying (`state.ts` decides). Each catcher stores
 * the whole error output (its `ResultPath` is dropped), so its Error and Cause are known; the caller
 * applies the catcher's own `ResultPath` afterwards.
 */
import { State } from "./state";
import { isObject } from "../../asl/json";

/** Key of the exit record in the output of an exit state. */
export const EXIT_KEY = "\u00a7testState";
const EXIT_PREFIX = "\u00a7test-state:";

/** Where the tested state went: its `Next`, or catcher `index`'s `Next` (its output is the error output). */
export type Exit =
    { readonly kind: "next"; readonly target: string; readonly output: unknown } | { readonly kind: "catch"; readonly index: number; readonly output: unknown };

/** `definition` reduced to the state `name` and its exits. */
export function isolateState(definition: Record<string, unknown>, name: string, state: State): Record<string, unknown> {
    const exits: Record<string, unknown> = {};
    const exit = (record: Record<string, string | number>): string => {
        const id = `${EXIT_PREFIX}${record.kind}:${record.kind === "next" ? record.target : record.index}`;
        exits[id] = { Type: "Pass", Parameters: { [EXIT_KEY]: record, "output.$": "$" }, End: true };
        return id;
    };
    const copy: State = { ...state };
    delete copy.Retry;
    if (typeof copy.Next === "string") copy.Next = exit({ kind: "next", target: copy.Next });
    if (typeof copy.Default === "string") copy.Default = exit({ kind: "next", target: copy.Default });
    if (Array.isArray(copy.Choices))
        copy.Choices = copy.Choices.map((rule: Record<string, unknown>) =>
            typeof rule.Next === "string" ? { ...rule, Next: exit({ kind: "next", target: rule.Next }) } : rule,
        );
    if (Array.isArray(copy.Catch))
        copy.Catch = copy.Catch.map((catcher: Record<string, unknown>, index: number) => {
            // No ResultPath means "$" (the error output replaces the input); aws-local-stepfunctions 3.0 mishandles an explicit "$".
            const { ResultPath: _resultPath, ...rest } = catcher;
            return { ...rest, Next: exit({ kind: "catch", index }) };
        });
    return { ...definition, StartAt: name, States: { [name]: copy, ...exits } };
}

/** The exit an execution of an isolated definition ended in; undefined when the state ended it itself. */
export function exitOf(output: unknown): Exit | undefined {
    if (!isObject(output) || !isObject(output[EXIT_KEY])) return undefined;
    const record = output[EXIT_KEY];
    return record.kind === "catch"
        ? { kind: "catch", index: Number(record.index), output: output.output }
        : { kind: "next", target: String(record.target), output: output.output };
}
