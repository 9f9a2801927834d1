/**
 * What an execution recorded on AWS shows, read from its `GetExecutionHistory` events: the final
 * status, the output or error and cause, and the states entered (top level in order; inside
 * Parallel branches and Map iterations as a multiset, plus each branch's or iteration's order when
 * the recording keeps event ids, which LocalStack's Parallel transformer replaces with `[0]`).
 */

/** A history event as LocalStack's snapshot stores it. */
export type HistoryEvent = Record<string, unknown> & { id: unknown; previousEventId: unknown; type: string };

/** The expectation of one recorded execution. */
export interface Expected {
    /** `REFUSED`: AWS refused the definition at CreateStateMachine (`error` is the exception, `cause` its message). */
    readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "REFUSED";
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: unknown;
    /** States entered at the top level, in order. */
    readonly states: string[];
    /** States entered inside Parallel branches and Map iterations, sorted (a multiset). */
    readonly nested: string[];
    /** Each branch's or iteration's states in order, when the recording keeps the event ids. */
    readonly threads?: string[][];
}

const CONTAINER = /^(Parallel|Map)State(Entered|Started|Succeeded|Failed|Aborted|Exited)$/;

/** The execution input recorded in `ExecutionStarted` (the snapshot parses only JSON objects; a list or scalar input stays JSON text). */
export function recordedInput(events: HistoryEvent[]): unknown {
    const started = events.find((e) => e.type === "ExecutionStarted");
    const input = (started?.executionStartedEventDetails as { input?: unknown } | undefined)?.input;
    if (typeof input !== "string") return input;
    try {
        return JSON.parse(input);
    } catch {
        return input;
    }
}

/** Reads the expectation from the events, or explains why it cannot. */
export function expectedOf(events: HistoryEvent[]): Expected | string {
    const last = events[events.length - 1];
    const end: Record<string, Expected["status"]> = {
        ExecutionSucceeded: "SUCCEEDED",
        ExecutionFailed: "FAILED",
        ExecutionTimedOut: "TIMED_OUT",
        ExecutionAborted: "ABORTED",
    };
    const status = end[last?.type];
    if (!status) return `the history does not end the execution (last event ${last?.type})`;
    const states: string[] = [];
    const nested: string[] = [];
    const nestedEvents: HistoryEvent[] = [];
    // Which container an end event closes: a stack is exact for sequential containers, and Map
    // iterations are what run concurrently, so nested containers rarely interleave.
    const open: HistoryEvent[] = [];
    const closes = new Map<unknown, HistoryEvent>();
    for (const event of events) {
        const container = CONTAINER.exec(event.type);
        if (event.type.endsWith("StateEntered")) {
            const name = (event.stateEnteredEventDetails as { name: string }).name;
            if (open.length > 0) {
                nested.push(name);
                nestedEvents.push(event);
            } else states.push(name);
        }
        if (!container) continue;
        if (container[2] === "Entered") open.push(event);
        else if (container[2] !== "Started") {
            const top = open[open.length - 1];
            if (top) closes.set(event.id, top);
            if (container[2] !== "Succeeded") open.pop();
        }
    }
    const details = (last.executionSucceededEventDetails ?? last.executionFailedEventDetails ?? {}) as Record<string, unknown>;
    const result = status === "SUCCEEDED" ? { output: details.output } : { error: details.error as string | undefined, cause: details.cause };
    return { status, ...result, states, nested: [...nested].sort(), threads: threadsOf(events, nestedEvents, closes) };
}

/** Groups nested StateEntered events by branch or iteration, walking `previousEventId` back. */
function threadsOf(events: HistoryEvent[], nested: HistoryEvent[], closes: Map<unknown, HistoryEvent>): string[][] | undefined {
    if (nested.length === 0) return [];
    if (nested.some((e) => typeof e.id !== "number")) return undefined;
    const byId = new Map(events.map((e) => [e.id, e]));
    const threads = new Map<unknown, string[]>();
    for (const event of nested) {
        let at: HistoryEvent | undefined = event;
        let key: unknown;
        for (let hops = 0; at && hops < events.length; hops++) {
            const previous = byId.get(at.previousEventId);
            if (at.type === "MapIterationStarted") key = `iteration ${String(at.id)}`;
            else if (previous?.type === "ParallelStateStarted") key = `branch ${String(at.id)}`;
            if (key !== undefined) break;
            at = closes.get(previous?.id) ?? previous;
        }
        if (key === undefined) return undefined;
        threads.set(key, [...(threads.get(key) ?? []), (event.stateEnteredEventDetails as { name: string }).name]);
    }
    return [...threads.values()];
}
