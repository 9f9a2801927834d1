/**
 * Turns one LocalStack snapshot entry into conformance cases: each recorded execution of the entry
 * (`get_execution_history`, `exec_hist_resp_<n>`, or the `cases` list of the choice operator
 * tests), with the definition it ran, the checks that keep out what the project does not emulate,
 * and the paths whose recorded values a snapshot transformer rewrote.
 */
import { EMULATED_RESOURCES, NONDETERMINISTIC, TRANSFORMED_VALUE } from "./families";
import { expectedOf, Expected, HistoryEvent, recordedInput } from "./history";

/** One vendored case. */
export interface ConformanceCase {
    /** `<file>::<Class>::<test>[<ids>]`, then `#<snapshot key>` when the entry holds several executions. */
    readonly id: string;
    readonly recordedDate: string;
    /** The LocalStack template the definition came from. */
    readonly template: string;
    readonly definition: Record<string, unknown>;
    readonly input: unknown;
    readonly expected: Expected;
    /** JSONPath-like paths (`$.output.a[0]`) of values a snapshot transformer rewrote: not compared. */
    readonly transformed: string[];
    /** The definition has a Wait state (the runner must not really wait). */
    readonly waits?: boolean;
}

/** A snapshot entry or execution left out, with the reason. */
export interface SkippedCase {
    readonly id: string;
    readonly reason: string;
}

/** Why a definition needs something the project does not emulate, or undefined. */
export function unsupported(definition: unknown): string | undefined {
    const resources = new Set<string>();
    const types = new Set<string>();
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === "object") {
            for (const [key, value] of Object.entries(node)) {
                if (key === "Resource" && typeof value === "string") resources.add(value);
                if (key === "Type" && typeof value === "string") types.add(value);
                walk(value);
            }
        }
    };
    walk(definition);
    const foreign = [...resources].filter((r) => !EMULATED_RESOURCES.includes(r));
    if (foreign.length > 0) return `needs a resource the project does not emulate: ${foreign.join(", ")}`;
    const text = JSON.stringify(definition);
    const random = NONDETERMINISTIC.find((re) => re.test(text));
    if (random) return `the recorded value depends on randomness or the clock (${random.source.replace(/\\/g, "")})`;
    return undefined;
}

/** Every state name of a definition, branches and iterators included. */
export function stateNames(definition: unknown, into = new Set<string>()): Set<string> {
    const states = (definition as { States?: Record<string, Record<string, unknown>> })?.States ?? {};
    for (const [name, state] of Object.entries(states)) {
        into.add(name);
        for (const branch of (state.Branches as unknown[]) ?? []) stateNames(branch, into);
        if (state.Iterator) stateNames(state.Iterator, into);
        if (state.ItemProcessor) stateNames(state.ItemProcessor, into);
    }
    return into;
}

/** The paths of string leaves a snapshot transformer rewrote. */
export function transformedPaths(value: unknown, at = "$", extra: readonly string[] = []): string[] {
    if (typeof value === "string") return TRANSFORMED_VALUE.test(value) || extra.some((x) => value.includes(x)) ? [at] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => transformedPaths(v, `${at}[${i}]`, extra));
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => transformedPaths(v, `${at}.${k}`, extra));
    return [];
}

/** The recorded executions of a snapshot entry: key → history events. */
export function recordedExecutions(content: Record<string, unknown>): [string, HistoryEvent[]][] {
    return Object.entries(content)
        .filter(([, v]) => Array.isArray((v as { events?: unknown })?.events))
        .map(([k, v]) => [k, (v as { events: HistoryEvent[] }).events]);
}

/** The exception AWS raised at CreateStateMachine, when the entry recorded one (the test expects the definition refused). */
export function createRefusal(content: Record<string, unknown>): { error: string; cause: string } | undefined {
    const exception = content.exception as { exception_typename?: string; exception_value?: string } | undefined;
    const text = exception?.exception_value;
    if (typeof text !== "string" || !text.includes("when calling the CreateStateMachine operation")) return undefined;
    return { error: String(exception?.exception_typename), cause: text.slice(text.indexOf("operation: ") + "operation: ".length) };
}

/** A case whose definition AWS refused at CreateStateMachine: the engine must refuse it too. */
export function refusedCase(
    id: string,
    recordedDate: string,
    template: string,
    definition: Record<string, unknown>,
    refusal: { error: string; cause: string },
): ConformanceCase {
    return { id, recordedDate, template, definition, input: {}, expected: { status: "REFUSED", ...refusal, states: [], nested: [] }, transformed: [] };
}

/** Builds the case of one recorded execution, or the reason it is skipped. */
export function buildCase(
    id: string,
    recordedDate: string,
    template: string,
    definition: Record<string, unknown>,
    events: HistoryEvent[],
    replacements: readonly string[],
): ConformanceCase | SkippedCase {
    const expected = expectedOf(events);
    if (typeof expected === "string") return { id, reason: expected };
    const names = stateNames(definition);
    const missing = [...expected.states, ...expected.nested].filter((n) => !names.has(n));
    if (missing.length > 0)
        return { id, reason: `the recorded states ${missing.join(", ")} are not in the resolved template (the test builds its definition otherwise)` };
    const input = recordedInput(events);
    if (transformedPaths(input, "$.input", replacements).length > 0) return { id, reason: "the execution input was rewritten by a snapshot transformer" };
    const transformed = [...transformedPaths(expected.output, "$.output", replacements), ...transformedPaths(expected.cause, "$.cause", replacements)];
    const waits = JSON.stringify(definition).includes('"Type":"Wait"');
    return { id, recordedDate, template, definition, input, expected, transformed, ...(waits ? { waits } : {}) };
}
