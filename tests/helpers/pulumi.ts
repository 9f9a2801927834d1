/**
 * Helpers for component tests under mocks: resolve outputs before asserting, and wait until every
 * declared resource has reached the mocks.
 */
import { mocks } from "./mocks";
import { resolve, waitForRegistrations } from "../../synth/run-program";
import { RecordedResource, revealSecrets } from "../../synth/mocks";

export { resolve };

/** Waits for Pulumi's pending registrations to reach the mocks. */
export const settle = waitForRegistrations;

/** Recorded resources by type token → count, sorted by type. */
export function countsByType(resources: readonly RecordedResource[] = mocks.resources): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of [...resources].sort((a, b) => a.type.localeCompare(b.type))) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
}

/** The one recorded resource of `type` (fails when there is not exactly one). */
export function only(type: string): RecordedResource {
    const found = mocks.ofType(type);
    if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}.`);
    return found[0];
}

/** A recorded input with secret wrappers removed. */
export function input(resource: RecordedResource, key: string): unknown {
    return revealSecrets(resource.inputs[key]);
}
