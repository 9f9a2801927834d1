/**
 * Errors a local Task handler throws. The engine (`tools/engine/`) matches `Retry`/`Catch` on the
 * error's `name` and reports its `message` as the `Cause`; `States.Runtime` and
 * `States.DataLimitExceeded` are neither retried nor caught, not even by `States.ALL`
 * (docs/aws-facts.md §5.1; the engine's `retry.ts` decides that for every error).
 */
import { EngineError } from "../engine/scope";
import { TERMINAL_ERRORS } from "../engine/retry";

/** A task failure with a Step Functions error name and a cause. */
export class TaskError extends EngineError {
    /** False for the errors no retrier handles. */
    get isRetryable(): boolean {
        return !TERMINAL_ERRORS.has(this.name);
    }

    /** False for the errors no catcher handles. */
    get isCatchable(): boolean {
        return !TERMINAL_ERRORS.has(this.name);
    }
}

/** `States.Runtime`: the request cannot be made as written, or the answer cannot be used. */
export function runtimeError(cause: string): TaskError {
    return new TaskError("States.Runtime", cause);
}

/** `States.Http.Socket`: connection failure or the 60 s limit (docs/aws-facts.md §5.1, §5.3). */
export function socketError(cause: string): TaskError {
    return new TaskError("States.Http.Socket", cause);
}

/** `Events.ConnectionResource.<kind>` (docs/aws-facts.md §5.1). */
export function connectionError(kind: "ResourceNotFound" | "InvalidConnectionState", cause: string): TaskError {
    return new TaskError(`Events.ConnectionResource.${kind}`, cause);
}
