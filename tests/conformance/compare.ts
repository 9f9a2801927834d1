/**
 * Compares what the local runner did with what AWS recorded: final status, output or error and
 * cause, and the states entered (top level in order; inside Parallel and Map as a multiset and,
 * where the recording keeps it, each branch's or iteration's order, since branches interleave).
 */
import { isDeepStrictEqual } from "node:util";
import type { ConformanceCase } from "../../tools/conformance/cases";
import { stateNames } from "../../tools/conformance/cases";
import type { ExecutionResult } from "../../tools/local/runner";

/** Reads JSON text as its value; LocalStack's snapshot stores JSON strings parsed where it can. */
function parsed(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** Overwrites the transformed paths (`$.output.a[0]`) of `root` with a marker, in place. */
function mask(value: unknown, paths: string[], prefix: string): unknown {
    let copy = structuredClone(value);
    for (const p of paths.filter((x) => x.startsWith(prefix))) {
        const keys = [...p.slice(prefix.length).matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
        if (keys.length === 0) {
            copy = "<transformed>";
            continue;
        }
        let at = copy as Record<string | number, unknown> | undefined;
        for (const k of keys.slice(0, -1)) at = at?.[k] as Record<string | number, unknown> | undefined;
        if (at && typeof at === "object" && keys[keys.length - 1] in at) at[keys[keys.length - 1]] = "<transformed>";
    }
    return copy;
}

function same(expected: unknown, actual: unknown, paths: string[], prefix: string): boolean {
    return isDeepStrictEqual(mask(parsed(expected), paths, prefix), mask(parsed(actual), paths, prefix)) || isDeepStrictEqual(expected, actual);
}

/** True when `actual` is some interleaving of `threads` (each kept in order). */
export function isInterleaving(actual: string[], threads: string[][]): boolean {
    const seen = new Set<string>();
    const visit = (i: number, positions: number[]): boolean => {
        if (i === actual.length) return positions.every((p, t) => p === threads[t].length);
        const key = `${i}:${positions.join(",")}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return threads.some(
            (thread, t) =>
                thread[positions[t]] === actual[i] &&
                visit(
                    i + 1,
                    positions.map((p, u) => (u === t ? p + 1 : p)),
                ),
        );
    };
    return visit(
        0,
        threads.map(() => 0),
    );
}

/** The states of Distributed Map item processors: they run in child executions, whose events AWS does not record in the parent's history. */
export function childExecutionStates(definition: unknown, into = new Set<string>(), inChild = false): Set<string> {
    const states = (definition as { States?: Record<string, Record<string, unknown>> })?.States ?? {};
    for (const [name, state] of Object.entries(states)) {
        if (inChild) into.add(name);
        for (const branch of (state.Branches as unknown[]) ?? []) childExecutionStates(branch, into, inChild);
        const processor = (state.ItemProcessor ?? state.Iterator) as { ProcessorConfig?: { Mode?: string } } | undefined;
        if (processor) childExecutionStates(processor, into, inChild || processor.ProcessorConfig?.Mode === "DISTRIBUTED");
    }
    return into;
}

/** The differences between the recording and the result; empty when they agree. */
export function differences(c: ConformanceCase, result: ExecutionResult): string[] {
    const out: string[] = [];
    const e = c.expected;
    if (result.status !== e.status)
        out.push(`status: AWS ${e.status}, local ${result.status}${result.error ? ` (${result.error}: ${String(result.cause).slice(0, 120)})` : ""}`);
    else if (e.status === "SUCCEEDED" && !same(e.output, result.output, c.transformed, "$.output"))
        out.push(`output: AWS ${JSON.stringify(e.output)?.slice(0, 200)}, local ${JSON.stringify(result.output)?.slice(0, 200)}`);
    else if (e.status === "FAILED") {
        if (e.error !== result.error) out.push(`error: AWS ${e.error}, local ${result.error}`);
        else if (!same(e.cause, result.cause, c.transformed, "$.cause"))
            out.push(`cause: AWS ${JSON.stringify(e.cause)?.slice(0, 200)}, local ${JSON.stringify(result.cause)?.slice(0, 200)}`);
    }
    const children = childExecutionStates(c.definition);
    const entered = (result.trace ?? []).map((s) => s.state).filter((n) => !children.has(n));
    const top = new Set(Object.keys((c.definition.States as object) ?? {}));
    const nested = new Set([...stateNames(c.definition)].filter((n) => !top.has(n)));
    // A name used both at the top level and inside a branch is compared only in the multiset.
    const topOnly = (names: string[]) => names.filter((n) => top.has(n) && !nested.has(n));
    const nestedOnly = (names: string[]) => names.filter((n) => nested.has(n) && !top.has(n));
    if (!isDeepStrictEqual(topOnly(entered), topOnly(e.states)))
        out.push(`states: AWS ${topOnly(e.states).join(" → ")}, local ${topOnly(entered).join(" → ")}`);
    else if (!isDeepStrictEqual([...entered].sort(), [...e.states, ...e.nested].sort()))
        out.push(`states entered (multiset): AWS ${[...e.states, ...e.nested].sort().join(", ")}, local ${[...entered].sort().join(", ")}`);
    else if (e.threads && e.threads.length > 0 && !isInterleaving(nestedOnly(entered), e.threads.map(nestedOnly)))
        out.push(`branch/iteration order: AWS ${JSON.stringify(e.threads)}, local ${nestedOnly(entered).join(" → ")}`);
    return out;
}

/**
 * The differences of a run (or the runner's refusal) from the recording. A definition AWS refused at
 * CreateStateMachine must be refused; the wording is not compared (AWS's is its schema validator's).
 */
export function problemsOf(c: ConformanceCase, result: ExecutionResult | { refused: string }): string[] {
    if (c.expected.status === "REFUSED")
        return "refused" in result ? [] : [`AWS refused the definition (${String(c.expected.cause)}); the runner ran it (${result.status})`];
    return "refused" in result ? [`the runner refused the definition: ${result.refused}`] : differences(c, result);
}
