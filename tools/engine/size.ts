/**
 * The 256 KiB limit on data passed between states (AWS "Step Functions service quotas": "Maximum
 * input or output size for a task, state, or execution: 256 KiB of data as a UTF-8 encoded string";
 * exceeding it raises `States.DataLimitExceeded`). Measuring every state's output with
 * `JSON.stringify` would cost more than the states themselves, so a bounded walk first estimates the
 * size and stops as soon as the value is surely small; only values that may be near the limit are
 * serialised and measured exactly.
 */
import { EngineError } from "./scope";

/** 256 KiB. */
export const PAYLOAD_LIMIT = 256 * 1024;
/** Below this estimate a value is surely under the limit (the estimate undercounts escapes and multi-byte characters by at most 6×). */
const SURELY_SMALL = PAYLOAD_LIMIT / 6;

/** A lower-bound-ish estimate of `value`'s JSON length, stopping once it passes `stop`. */
function estimate(value: unknown, stop: number): number {
    if (typeof value === "string") return value.length + 2;
    if (value === null || typeof value !== "object") return 8;
    let total = 2;
    if (Array.isArray(value)) {
        for (const item of value) {
            total += estimate(item, stop - total) + 1;
            if (total > stop) return total;
        }
        return total;
    }
    for (const key in value) {
        total += key.length + 4 + estimate((value as Record<string, unknown>)[key], stop - total);
        if (total > stop) return total;
    }
    return total;
}

/**
 * Throws `States.DataLimitExceeded` when `value`, the result of the state `state`, serialises to more than 256 KiB,
 * with AWS's recorded cause (LocalStack `error_handling/test_states_errors.py::test_start_large_input`, a Pass state's `Result`).
 */
export function checkPayloadSize(value: unknown, state: string): void {
    if (estimate(value, SURELY_SMALL) <= SURELY_SMALL) return;
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? "null", "utf8");
    if (bytes > PAYLOAD_LIMIT)
        throw new EngineError(
            "States.DataLimitExceeded",
            `The state/task '${state}' returned a result with a size exceeding the maximum number of bytes service limit.`,
        );
}
