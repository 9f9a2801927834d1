/**
 * One execution's shared bookkeeping: event ids (always counted, because AWS causes quote "entered
 * at the event id #N"), history events (built only when someone asked for them), the context
 * object's execution part, and a stop flag a failed Parallel branch or Map iteration raises so the
 * others start no further state (AWS stops them; docs/aws-facts.md §13).
 */
import { HistoryEvent, QueryLanguage, RunOptions, TaskHandler } from "./types";

/** Event types whose payload is an input (the others carry an output). */
const INPUT_EVENTS = /(Entered|Started|Scheduled)$/;

/** Shared state of one execution. */
export class Run {
    /** The id of the last event. */
    private lastId = 0;
    private lastTime = 0;
    readonly events: HistoryEvent[] = [];
    /** True when events are built (recorded or streamed). */
    readonly tracing: boolean;
    private readonly record: boolean;
    /** Set when the execution is failing: no state starts after that. */
    stopped = false;
    readonly handlers: Readonly<Record<string, TaskHandler>>;
    /** The definition's top-level QueryLanguage, which nested machines inherit (UNKNOWN: AWS does not say whether a Parallel/Map's own QueryLanguage passes to its inner states; we assume not). */
    queryLanguage: QueryLanguage = "JSONPath";

    constructor(
        readonly options: RunOptions,
        /** `$$.Execution` and `$$.StateMachine`, shared by every state's context object. */
        readonly execution: { readonly Execution: Record<string, unknown>; readonly StateMachine: Record<string, unknown>; readonly StateName?: string },
    ) {
        this.record = options.recordEvents ?? true;
        this.tracing = this.record || options.onEvent !== undefined;
        this.handlers = options.taskHandlers ?? {};
    }

    /** Counts an event and, when tracing, builds it; returns its id. Positional so nothing is allocated when not tracing. */
    emit(type: string, name?: string, data?: unknown, error?: string, cause?: string, index?: number, next?: string): number {
        const id = ++this.lastId;
        if (!this.tracing) return id;
        const now = Date.now();
        this.lastTime = now > this.lastTime ? now : this.lastTime;
        const event: { -readonly [K in keyof HistoryEvent]: HistoryEvent[K] } = { id, type, timestamp: this.lastTime };
        if (name !== undefined) event.name = name;
        if (data !== undefined) event[INPUT_EVENTS.test(type) ? "input" : "output"] = data;
        if (error !== undefined) event.error = error;
        if (cause !== undefined) event.cause = cause;
        if (index !== undefined) event.index = index;
        if (next !== undefined) event.next = next;
        if (this.record) this.events.push(event);
        this.options.onEvent?.(event);
        return id;
    }
}
