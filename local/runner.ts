/**
 * Runs a definition with aws-local-stepfunctions, every Task state served locally: `http:invoke`
 * by the HTTP Task emulator, `sns:publish` and `events:putEvents` by the outbox, `s3:putObject`
 * by the local object store; anything else fails with `States.Runtime` (the library would
 * otherwise call AWS Lambda). JSONata Choice, Fail and Pass states run through
 * `emulator/jsonata.ts`, Distributed Maps through `emulator/distributed-map.ts` (each child
 * execution a runner of its own). Retry waits are shortened to 0 ms by default, so a retried order
 * takes milliseconds instead of 1–20 s; traces say so.
 */
import "./polyfills";
import "./jsonpath-speedup";
import { randomUUID } from "crypto";
import { ExecutionError, StateMachine } from "aws-local-stepfunctions";
import { EVENTS_PUT_EVENTS, S3_PUT_OBJECT } from "../asl/data-tasks";
import { HTTP_INVOKE } from "../asl/http-task";
import { SNS_PUBLISH } from "../asl/sns-task";
import { Retrier } from "../asl/types";
import { childDefinition, distributedMapHandler, isDistributedMap, lowerDistributedMaps, MapRunRecord } from "./emulator/distributed-map";
import { LocalObjectStore } from "./emulator/s3";
import { statesOf } from "./emulator/definition";
import { runtimeError } from "./emulator/errors";
import { HttpCall, HttpTaskEmulator } from "./emulator/http-invoke";
import { isJsonataState, jsonataHandler, lowerJsonataStates, ROUTE_PREFIX } from "./emulator/jsonata";
import { Outbox } from "./emulator/sns";

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
}

type Handler = (input: unknown) => Promise<unknown>;
type TypedMachine = StateMachine & { run(input: unknown, options?: unknown): { result: Promise<unknown>; eventLogs: AsyncGenerator<Record<string, unknown>> } };

/** Runs executions of one definition; concurrent `run` calls are independent. */
export class LocalRunner {
    private readonly machine: TypedMachine;
    private readonly tasks: { name: string; resource: string }[];
    private readonly jsonataStates: Map<string, Handler>;
    /** The types of lowered JSONata states, so traces show `Choice`/`Fail`, not the local Task. */
    private readonly loweredTypes: Map<string, string>;
    private readonly retryOverrides: Record<string, number | number[]>;
    /** The Distributed Maps: each state and the runner of its child executions, by state name. */
    private readonly distributedMaps: Map<string, { state: Record<string, unknown>; child: LocalRunner }>;
    /** The Map Runs of every execution of this runner, in order. */
    readonly mapRuns: MapRunRecord[] = [];

    /** Throws when aws-local-stepfunctions finds the definition invalid. */
    constructor(
        definition: unknown,
        private readonly options: RunnerOptions,
    ) {
        this.machine = new StateMachine(lowerJsonataStates(lowerDistributedMaps(definition)) as ConstructorParameters<typeof StateMachine>[0]) as TypedMachine;
        const states = statesOf(definition);
        this.distributedMaps = new Map(
            states
                .filter(({ state }) => isDistributedMap(state))
                .map(({ name, state }) => [name, { state, child: new LocalRunner(childDefinition(state), options) }]),
        );
        const jsonata = states.filter(({ state }) => isJsonataState(state));
        this.jsonataStates = new Map(jsonata.map(({ name, state }) => [name, jsonataHandler(state)]));
        this.loweredTypes = new Map(jsonata.map(({ name, state }) => [name, String(state.Type)]));
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

    private handlers(calls: (HttpCall & { state: string })[] | undefined, childSteps: TraceStep[]): Record<string, Handler> {
        const { http, outbox, store } = this.options;
        const out: Record<string, Handler> = {};
        for (const [name, handler] of this.jsonataStates) out[name] = handler;
        for (const [name, { state, child }] of this.distributedMaps) {
            // A child execution's steps join this execution's trace, so its HTTP calls and retries show.
            const runChild = async (input: unknown) => {
                const result = await child.run(input);
                childSteps.push(...(result.trace ?? []));
                return result;
            };
            out[name] = distributedMapHandler(name, state, runChild, store, (run) => this.mapRuns.push(run)) as Handler;
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

    /** Runs one execution to its end (named `name`, a fresh UUID by default); never rejects for a failed execution. */
    async run(input: unknown, name: string = randomUUID()): Promise<ExecutionResult> {
        const started = performance.now();
        const calls = this.options.trace ? ([] as (HttpCall & { state: string })[]) : undefined;
        const childSteps: TraceStep[] = [];
        const execution = this.machine.run(input, {
            overrides: { taskResourceLocalHandlers: this.handlers(calls, childSteps), retryIntervalOverrides: this.retryOverrides },
            context: { Execution: { Name: name } },
        });
        const trace = calls ? collectTrace(execution.eventLogs, this.loweredTypes) : undefined;
        let result: Omit<ExecutionResult, "durationMs">;
        try {
            result = { status: "SUCCEEDED", output: await execution.result };
        } catch (e) {
            const failure = e instanceof ExecutionError && e.cause instanceof Error ? e.cause : (e as Error);
            result = { status: "FAILED", error: failure.name === "ExecutionTimeoutError" ? "States.Timeout" : failure.name, cause: failure.message };
        }
        const durationMs = performance.now() - started;
        if (!trace || !calls) return { ...result, durationMs };
        const steps = await trace;
        for (const call of calls) {
            const step = [...steps].reverse().find((s) => s.state === call.state && s.startedAt <= call.startedAt);
            step?.http.push(call);
        }
        return { ...result, durationMs, trace: [...steps, ...childSteps] };
    }
}

/** Folds the library's event log into one step per state visit. */
async function collectTrace(events: AsyncGenerator<Record<string, unknown>>, loweredTypes: ReadonlyMap<string, string>): Promise<TraceStep[]> {
    const steps: TraceStep[] = [];
    let lastError: { error: string; cause: string } | undefined;
    const lastErrors = new Map<string, string>();
    for await (const event of events) {
        const current = steps[steps.length - 1];
        const at = event.timestamp as number;
        switch (event.type) {
            case "StateEntered": {
                const state = event.state as { name: string; type: string };
                // A lowered JSONata state shows as what it is; a Choice's route state stays hidden.
                if (state.name.startsWith(ROUTE_PREFIX)) break;
                steps.push({ state: state.name, type: loweredTypes.get(state.name) ?? state.type, startedAt: at, http: [], retries: [] });
                break;
            }
            case "StateFailed":
                lastError = { error: String(event.Error), cause: String(event.Cause) };
                lastErrors.set((event.state as { name?: string } | undefined)?.name ?? "", lastError.error);
                break;
            case "StateRetried": {
                // Parallel branches interleave: the retried state is the latest visit of that name.
                const name = (event.state as { name?: string } | undefined)?.name;
                const step = [...steps].reverse().find((s) => s.state === name) ?? current;
                step?.retries.push(lastErrors.get(name ?? "") ?? lastError?.error ?? "unknown");
                break;
            }
            case "StateCaught":
                if (current) current.caught = { error: lastError?.error ?? "unknown", next: (event.catch as { catcher: { Next: string } }).catcher.Next };
                break;
            case "StateExited":
                if (current && !(event.state as { name: string }).name.startsWith(ROUTE_PREFIX)) current.durationMs = at - current.startedAt;
                break;
            case "ExecutionFailed":
                if (current && current.durationMs === undefined) {
                    current.durationMs = at - current.startedAt;
                    current.failed = { error: String(event.Error), cause: String(event.Cause) };
                }
                break;
        }
    }
    return steps;
}
