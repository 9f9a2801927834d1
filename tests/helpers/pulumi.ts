/**
 * Helpers for component tests under mocks: resolve outputs before asserting, wait until every
 * declared resource has reached the mocks, and synthesize a stack of the repository once per process.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { mocks } from "./mocks";
import { readStackFile } from "../../tools/stack-file";
import { PROJECT } from "../../deploy/stack-config/types";
import { resolve, SECRETS_KEY, SynthResult, synthesize, waitForRegistrations } from "../../tools/synth/run-program";
import { RecordedResource, revealSecrets } from "../../tools/synth/mocks";

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

const ROOT = path.join(__dirname, "..", "..");
const synthesized = new Map<string, Promise<SynthResult>>();

/**
 * The repository's `Pulumi.<stack>.yaml` synthesized under the shared mocks, once per process: a
 * synth costs seconds and several suites read the same stacks. Afterwards the shared mocks hold that
 * stack's config and resources, as `synthesize` leaves them, so `mocks.ofType` reads this stack.
 * The result is shared: read it, never change it.
 */
export async function synthStack(stack: string): Promise<SynthResult> {
    const stackFile = readStackFile(stack, ROOT);
    let result = synthesized.get(stack);
    if (result === undefined) {
        result = synthesize(stackFile, mocks);
        synthesized.set(stack, result);
        // A failed synth is not cached: the next caller sees the failure again.
        result.catch(() => synthesized.delete(stack));
        return result;
    }
    const done = await result;
    mocks.reset(stackFile.region);
    mocks.resources.push(...done.resources);
    pulumi.runtime.setAllConfig(stackFile.pulumiConfig, [SECRETS_KEY]);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    return done;
}
