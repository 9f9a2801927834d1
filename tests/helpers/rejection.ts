import * as assert from "node:assert/strict";

/** The error `promise` rejects with, typed as the caller expects; fails the test when it resolves. */
export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
    try {
        await promise;
    } catch (e) {
        return e as E;
    }
    assert.fail("expected the promise to reject");
}
