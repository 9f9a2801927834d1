/**
 * The tested state: finding it in a definition, checking that the options fit it (as TestState
 * checks them), and the `Retry` decision TestState makes from `retrierRetryCount`.
 */
import { UsageError } from "../commands/command-line";
import { TaskError } from "../emulator/errors";
import { statesOf } from "../emulator/definition";
import { TestStateRequest } from "./options";
import { isObject } from "../../deploy/asl/json";

/** A state of a definition, as parsed JSON. */
export type State = Record<string, unknown>;

/** The state `name` of `definition`, nested ones included (names are unique in a definition); an unknown name is bad usage. */
export function stateOf(definition: unknown, name: string): State {
    const found = statesOf(definition).find((s) => s.name === name);
    if (!found) {
        const top = isObject(definition) && isObject(definition.States) ? Object.keys(definition.States) : [];
        throw new UsageError(
            `No state \`${name}\` in the definition (states: ${top.join(", ") || "none"}${top.length < statesOf(definition).length ? ", and the states nested in them" : ""}).`,
        );
    }
    return found.state;
}

/** True when `state` is written in JSONata, by itself or by the definition's default. */
export function usesJsonata(definition: unknown, state: State): boolean {
    return (state.QueryLanguage ?? (isObject(definition) ? definition.QueryLanguage : undefined)) === "JSONata";
}

/**
 * Refuses what TestState refuses before running: a mock of anything but a Task, Map or Parallel
 * state. TRACE is accepted for every state (AWS answered TRACE on Pass, Choice and Fail states like
 * DEBUG, recorded); only an HTTP Task adds the request and response.
 */
export function checkOptionsFit(state: State, name: string, request: TestStateRequest): void {
    const type = String(state.Type);
    if (request.mock && !["Task", "Map", "Parallel"].includes(type))
        throw new UsageError(`TestState mocks only Task, Map and Parallel states; \`${name}\` is a ${type} state.`);
}

/**
 * The retrier that matched: its index and, while it has attempts left, its wait before jitter
 * (`retryBackoffIntervalSeconds`); an exhausted one has no wait (TestState then answers FAILED and
 * still names it, recorded).
 */
export type RetryDetails = { readonly retryIndex: number; readonly retryBackoffIntervalSeconds: number } | { readonly retryIndex: number };

function matches(errorEquals: unknown, error: string, type: unknown): boolean {
    const names = Array.isArray(errorEquals) ? errorEquals : [];
    return names.some((n) => n === error || n === "States.ALL" || (n === "States.TaskFailed" && type === "Task" && error !== "States.Timeout"));
}

/**
 * The retrier TestState reports for `error` after `retryCount` retries (RETRIABLE when it has a
 * wait), or undefined when none matches. The first matching retrier decides, as in an execution, and
 * `States.Runtime` / `States.DataLimitExceeded` are never retried (docs/aws-facts.md §5.1).
 */
export function retryFor(state: State, error: string, retryCount: number): RetryDetails | undefined {
    if (!new TaskError(error, "").isRetryable) return undefined;
    const retriers = Array.isArray(state.Retry) ? (state.Retry as Record<string, number | undefined>[]) : [];
    const retryIndex = retriers.findIndex((r) => matches(r.ErrorEquals, error, state.Type));
    if (retryIndex < 0) return undefined;
    const r = retriers[retryIndex];
    if (retryCount >= (r.MaxAttempts ?? 3)) return { retryIndex };
    const wait = Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** retryCount, r.MaxDelaySeconds ?? Infinity);
    return { retryIndex, retryBackoffIntervalSeconds: Math.round(wait) };
}
