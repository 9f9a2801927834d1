/**
 * Errors a local Task handler throws. `aws-local-stepfunctions` matches `Retry`/`Catch` on the
 * error's `name` and reports its `message` as the `Cause`; it also reads `isRetryable` and
 * `isCatchable`, which is how `States.Runtime` escapes `States.ALL` (http-task-facts.md §5.1).
 */

/** Error names that neither `Retry` nor `Catch` (not even `States.ALL`) may handle. */
const TERMINAL_ERRORS = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/** A task failure with a Step Functions error name and a cause. */
export class TaskError extends Error {
    constructor(name: string, cause: string) {
        super(cause);
        this.name = name;
    }

    /** Read by aws-local-stepfunctions before it consults `Retry`. */
    get isRetryable(): boolean {
        return !TERMINAL_ERRORS.has(this.name);
    }

    /** Read by aws-local-stepfunctions before it consults `Catch`. */
    get isCatchable(): boolean {
        return !TERMINAL_ERRORS.has(this.name);
    }
}

/** `States.Runtime`: the request cannot be made as written, or the answer cannot be used. */
export function runtimeError(cause: string): TaskError {
    return new TaskError("States.Runtime", cause);
}

/** `States.Http.Socket`: connection failure or the 60 s limit (http-task-facts.md §5.1, §5.3). */
export function socketError(cause: string): TaskError {
    return new TaskError("States.Http.Socket", cause);
}

/** `Events.ConnectionResource.<kind>` (http-task-facts.md §5.1). */
export function connectionError(kind: "ResourceNotFound" | "InvalidConnectionState", cause: string): TaskError {
    return new TaskError(`Events.ConnectionResource.${kind}`, cause);
}
