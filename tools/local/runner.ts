/**
 * Runs a definition with the project's own engine (`engine/`), every Task state served locally:
 * `http:invoke` by the HTTP Task emulator, `sns:publish` and `events:putEvents` by the outbox,
 * `s3:putObject` by the local object store; anything else fails with `States.Runtime`. JSONPath and
 * JSONata states run natively; Distributed Maps through `emulator/distributed-map.ts` (each child
 * execution a runner of its own). Retry waits are shortened to 0 ms by default, so a retried order
 * takes milliseconds instead of 1–20 s; traces say so.
 */
import { randomUUID } from "crypto";
import { EVENTS_PUT_EVENTS, S3_PUT_OBJECT } from "../../deploy/asl/data-tasks";
import { HTTP_INVOKE } from "../../deploy/asl/http-task";
import { SNS_PUBLISH } from "../../deploy/asl/sns-task";
import { Retrier } from "../../deploy/asl/types";
import { ContextOptions, Engine, HistoryEvent, TaskHandler } from "../engine/engine";
import type { TaskHandlerContext } from "../engine/types";
import { childDefinition, distributedMapHandler, ExpressLimit, isDistributedMap, lowerDistributedMaps, MapRunRecord } from "../emulator/distributed-map";
import { LocalObjectStore } from "../emulator/s3";
import { statesOf } from "../emulator/definition";
import { runtimeError } from "../emulator/errors";
import { HttpCall, HttpTaskEmulator } from "../emulator/http-invoke";
import { Outbox } from "../emulator/sns";

/** What one state did, for the trace. */
export interface TraceStep {
    readonly state: string;
    readonly type: string;
    readonly startedAt: number;
    durationMs?: number;
    readonly http: HttpCall[];
    /** The errors that were retried, in order. */
    readonly retries: string[];
    caught?: { readonly error: string; readonly next: string };
    failed?: { readonly error: string; readonly cause: string };
}

/** The outcome of one execution (the CLI prints `status`, `output`, `error`, `cause`). */
export interface ExecutionResult {
    readonly status: "SUCCEEDED" | "FAILED";
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: string;
    readonly durationMs: number;
    /** Present when the runner was created with `trace: true`. */
    readonly trace?: TraceStep[];
}

/** Everything a runner needs besides the definition. */
export interface RunnerOptions {
    readonly http: HttpTaskEmulator;
    readonly outbox: Outbox;
    /** Where `s3:putObject` writes and Distributed Map item lists are read. */
    readonly store?: LocalObjectStore;
    /** Override every `Retry` wait with 0 ms. @default true */
    readonly shortenRetryWaits?: boolean;
    /** With shortened waits, the wait of one retrier instead of 0 ms (e.g. a 429's `Retry-After`). */
    readonly retryWaitMs?: (retrier: Retrier) => number;
    /** Record a per-state trace (costs a little per execution). @default false */
    readonly trace?: boolean;
    /** The ms a Wait state of `seconds` waits; tests and the conformance suite pass `() => 0`. @default real time (`seconds * 1000`) */
    readonly waitMs?: (seconds: number) => number;
    /** The limit of Express child executions of Distributed Maps. @default 300 s on the real clock */
    readonly expressLimit?: ExpressLimit;
}

type Handler = (input: unknown, ctx?: TaskHandlerContext) => Promise<unknown>;

/** Runs executions of one definition; concurrent `run` calls are independent. */
export class LocalRunner {
    private readonly engine: Engine;
    private readonly tasks: { name: string; resource: string }[];
    private readonly retryOverrides: Record<string, number | number[]>;
    /** The Distributed Maps: each state and the runner of its child executions, by state name. */
    private readonly distributedMaps: Map<string, { state: Record<string, unknown>; child: LocalRunner }>;
    /** The Map Runs of every execution of this runner, in order. */
    readonly mapRuns: MapRunRecord[] = [];
    /** Without a trace the handlers capture nothing per execution, so one table serves every run (a collection starts hundreds of children). */
    private untracedHandlers?: Record<string, TaskHandler>;

    /** Throws when the engine finds the definition invalid. */
    constructor(
        definition: unknown,
        private readonly options: RunnerOptions,
    ) {
        this.engine = new Engine(lowerDistributedMaps(definition));
        const states = statesOf(definition);
        this.distributedMaps = new Map(
            states
                .filter(({ state }) => isDistributedMap(state))
                .map(({ name, state }) => [name, { state, child: new LocalRunner(childDefinition(state), options) }]),
        );
        this.tasks = states.filter((s) => s.state.Type === "Task").map((s) => ({ name: s.name, resource: String(s.state.Resource) }));
        const shorten = options.shortenRetryWaits ?? true;
        const wait = options.retryWaitMs;
        this.retryOverrides = Object.fromEntries(
            shorten ? states.filter((s) => Array.isArray(s.state.Retry)).map((s) => [s.name, wait ? (s.state.Retry as Retrier[]).map((r) => wait(r)) : 0]) : [],
        );
    }

    /** True when retry waits are shortened (traces mention it). */
    get retryWaitsShortened(): boolean {
        return Object.keys(this.retryOverrides).length > 0;
    }

    private handlers(calls: (HttpCall & { state: string })[] | undefined, childSteps: TraceStep[]): Record<string, TaskHandler> {
        const { http, outbox, store } = this.options;
        const out: Record<string, Handler> = {};
        for (const [name, { state, child }] of this.distributedMaps) {
            // A child execution's steps join this execution's trace, so its HTTP calls and retries show.
            const runChild = async (input: unknown) => {
                const result = await child.run(input);
                childSteps.push(...(result.trace ?? []));
                return result;
            };
            out[name] = distributedMapHandler(name, state, runChild, store, (run) => this.mapRuns.push(run), this.options.expressLimit) as Handler;
        }
        for (const { name, resource } of this.tasks) {
            if (resource === HTTP_INVOKE) out[name] = (input) => http.invoke(input, calls && ((call) => calls.push({ ...call, state: name })));
            else if (resource === SNS_PUBLISH) out[name] = async (input) => outbox.publish(name, input);
            else if (resource === EVENTS_PUT_EVENTS) out[name] = async (input) => outbox.putEvents(name, input);
            else if (resource === S3_PUT_OBJECT && store) out[name] = async (input) => store.putObject(input);
            else
                out[name] = async () => {
                    throw runtimeError(
                        `The local runner does not emulate \`${resource}\` (state \`${name}\`); only \`${HTTP_INVOKE}\`, \`${SNS_PUBLISH}\`, \`${EVENTS_PUT_EVENTS}\` and, with a store, \`${S3_PUT_OBJECT}\`.`,
                    );
                };
        }
        return out;
    }

    /**
     * Runs one execution to its end (named `name`, a fresh UUID by default); never rejects for a failed
     * execution. `context` replaces the context object's fields (TestState presents its own).
     */
    async run(input: unknown, name: string = randomUUID(), context?: ContextOptions): Promise<ExecutionResult> {
        const started = performance.now();
        const calls = this.options.trace ? ([] as (HttpCall & { state: string })[]) : undefined;
        const childSteps: TraceStep[] = [];
        const steps: TraceStep[] | undefined = calls ? [] : undefined;
        const fold = steps && traceFolder(steps);
        // StartExecution takes the input as JSON text (an absent input is `{}`), so what a state sees is what that
        // text parses to: an `undefined` field does not exist and a Date is its ISO string, as on AWS.
        const json = input === undefined ? "{}" : JSON.stringify(input);
        const outcome = await this.engine.run(json === undefined ? {} : JSON.parse(json), {
            taskHandlers: calls ? this.handlers(calls, childSteps) : (this.untracedHandlers ??= this.handlers(undefined, childSteps)),
            retryWaitOverrides: this.retryOverrides,
            context: context ? { ...context, Execution: { Name: name, ...context.Execution } } : { Execution: { Name: name } },
            recordEvents: false,
            ...(this.options.waitMs ? { waitMs: this.options.waitMs } : {}),
            onEvent: fold,
        });
        const result: Omit<ExecutionResult, "durationMs"> =
            outcome.status === "SUCCEEDED" ? { status: "SUCCEEDED", output: outcome.output } : { status: "FAILED", error: outcome.error, cause: outcome.cause };
        const durationMs = performance.now() - started;
        if (!steps || !calls) return { ...result, durationMs };
        for (const call of calls) {
            const step = [...steps].reverse().find((s) => s.state === call.state && s.startedAt <= call.startedAt);
            step?.http.push(call);
        }
        return { ...result, durationMs, trace: [...steps, ...childSteps] };
    }
}

/** Event types that start a (re)attempt of a state: after a failure they mean the failure was retried. */
const ATTEMPT_STARTS = new Set(["TaskScheduled", "MapStateStarted", "ParallelStateStarted"]);
/** Event types that report a failed attempt of a state. */
const ATTEMPT_FAILURES = new Set(["TaskFailed", "TaskTimedOut", "MapStateFailed", "ParallelStateFailed"]);

/** Folds the engine's history events into one step per state visit, appended to `steps`. */
function traceFolder(steps: TraceStep[]): (event: HistoryEvent) => void {
    /** The pending failure of each state name's latest visit (Parallel branches interleave). */
    const pending = new Map<string, string>();
    const latest = (name: string | undefined) => {
        for (let i = steps.length - 1; i >= 0; i--) if (steps[i].state === name) return steps[i];
        return undefined;
    };
    return (event) => {
        const { type, name, timestamp: at } = event;
        if (type.endsWith("StateEntered") && name !== undefined) {
            steps.push({ state: name, type: type.slice(0, -"StateEntered".length), startedAt: at, http: [], retries: [] });
            pending.delete(name);
        } else if (ATTEMPT_FAILURES.has(type) && name !== undefined) pending.set(name, event.error ?? "unknown");
        else if (ATTEMPT_STARTS.has(type) && name !== undefined && pending.has(name)) {
            latest(name)?.retries.push(pending.get(name) as string);
            pending.delete(name);
        } else if (type.endsWith("StateExited") && name !== undefined) {
            const step = latest(name);
            if (!step) return;
            step.durationMs = at - step.startedAt;
            const error = pending.get(name);
            if (error !== undefined && event.next !== undefined) step.caught = { error, next: event.next };
            pending.delete(name);
        } else if (type === "ExecutionFailed") {
            const current = steps[steps.length - 1];
            if (current && current.durationMs === undefined) {
                current.durationMs = at - current.startedAt;
                current.failed = { error: String(event.error), cause: String(event.cause) };
            }
        }
    };
}
