/** Guards for parsed JSON (definitions, config, API answers), shared so every reader agrees. */

/** True for a plain (non-array, non-null) object. */
export function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
