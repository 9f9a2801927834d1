/**
 * Step Functions' own additions to JSONata, as AWS lists them on "Transforming data with JSONata in
 * Step Functions": `$partition`, `$range`, `$hash`, `$random` (with an optional seed), `$uuid` and
 * `$parse`; and the one removal, `$eval` ("not available, use $parse instead"). `$base64encode` and
 * `$base64decode` are JSONata 2.0.6 built-ins, which AWS runs as they are, so they are not replaced.
 *
 * Checked against executions LocalStack recorded on AWS (v2/intrinsic_functions/*_jsonata.snapshot.json):
 * `$partition` returns an array of arrays even for one chunk; `$range` returns a JSONata sequence, so
 * a one-item range is the item itself (`$range(1, 9, 9)` is `1`); `$parse('-0')` is `0`; an unknown
 * function (`$randomSeeded`) fails with `T1006: Attempted to invoke a non-function`.
 *
 * UNKNOWN (safe choice made): the error codes and messages AWS uses for these functions' argument
 * errors (errors here carry no JSONata code, only a message naming the function); whether `$range`
 * has the 1,000-item limit of States.ArrayRange (enforced); AWS's seeded generator (only "same seed,
 * same result" holds here); an empty `$range` (undefined, like an empty sequence).
 */
import { createHash, randomUUID } from "node:crypto";
import type { Expression } from "jsonata";
import { HASHES, MAX_RANGE, noNegativeZero, seededRandom } from "./intrinsic-functions";

/** A JSONata-style error: `code` is what Step Functions prints before the message. */
function jsonataError(message: string, code?: string): Error {
    return Object.assign(new Error(message), code ? { code } : {});
}

function partition(array: unknown[], size: number): unknown[][] {
    if (!Number.isInteger(size) || size <= 0) throw jsonataError(`$partition: the chunk size must be a positive integer, got ${size}.`);
    const chunks: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
}

function range(first: number, last: number, step: number): unknown {
    if (![first, last, step].every(Number.isInteger) || step === 0)
        throw jsonataError("$range: the first, last and step values must be integers and the step must not be 0.");
    const count = Math.sign(last - first) === -Math.sign(step) ? 0 : Math.floor((last - first) / step) + 1;
    if (count > MAX_RANGE) throw jsonataError(`$range: the range has ${count} items, more than ${MAX_RANGE}.`);
    const items = Array.from({ length: count }, (_, i) => first + i * step);
    // A JSONata sequence: empty is undefined and one item is the item (recorded: $range(1, 9, 9) is 1).
    return count === 0 ? undefined : count === 1 ? items[0] : items;
}

function hash(data: string, algorithm: string): string {
    const name = HASHES[algorithm];
    if (!name) throw jsonataError(`$hash: the algorithm must be one of ${Object.keys(HASHES).join(", ")}, got ${algorithm}.`);
    return createHash(name).update(data, "utf8").digest("hex");
}

function parse(text: string): unknown {
    try {
        return JSON.parse(text, noNegativeZero) as unknown;
    } catch {
        throw jsonataError(`$parse: the argument is not valid JSON.`);
    }
}

/**
 * Registers Step Functions' JSONata additions on a compiled expression (call it once per compiled
 * expression, before `evaluate`). Argument types are checked by JSONata's signatures, so a wrong type
 * fails with JSONata's own `T0410`/`T0412` errors.
 */
export function registerStepFunctionsFunctions(expression: Expression): void {
    expression.registerFunction("partition", partition, "<an:a>");
    expression.registerFunction("range", range, "<nnn:x>");
    expression.registerFunction("hash", hash, "<ss:s>");
    expression.registerFunction("random", (seed?: number) => (seed === undefined ? Math.random() : seededRandom(seed)), "<n?:n>");
    expression.registerFunction("uuid", () => randomUUID(), "<:s>");
    expression.registerFunction("parse", parse, "<s:x>");
    expression.registerFunction(
        "eval",
        () => {
            throw jsonataError("Attempted to invoke a non-function", "T1006");
        },
        "<x*:x>",
    );
}
