/**
 * The intrinsic functions AWS documents for JSONPath states (docs/aws-facts.md §10.1), each checking
 * its arguments the way AWS describes. Results marked "recorded" in the tests were checked against
 * executions LocalStack recorded on AWS (v2/intrinsic_functions/*.snapshot.json).
 *
 * UNKNOWN: AWS's exact `Cause` text for argument errors (no recorded execution shows one); causes
 * here name the function and the rule broken.
 */
import { createHash, randomInt, randomUUID } from "node:crypto";
import { EngineError } from "./scope";

/** An evaluated argument; a string literal also carries the offsets of its unescaped `{}`. */
export interface Arg {
    readonly value: unknown;
    readonly placeholders?: readonly number[];
}

/** A string literal argument. */
export interface StringArg extends Arg {
    readonly value: string;
    readonly placeholders: readonly number[];
}

type Intrinsic = (args: readonly Arg[]) => unknown;

/** The error every intrinsic argument problem raises (docs/aws-facts.md §5.1: `States.IntrinsicFailure`). */
export function intrinsicFailure(cause: string): EngineError {
    return new EngineError("States.IntrinsicFailure", cause);
}

/** Documented size limit (characters) for Base64 and Hash inputs. */
const MAX_TEXT = 10_000;
/** Documented maximum number of items States.ArrayRange may return. */
export const MAX_RANGE = 1000;
const INT32 = [-2147483648, 2147483647] as const;
/** The hash algorithms `States.Hash` and `$hash` accept, by Step Functions' name, as Node.js names them. */
export const HASHES: Record<string, string> = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A `JSON.parse` reviver turning -0 into 0, as JSON text passed between states cannot carry -0. */
export function noNegativeZero(_key: string, value: unknown): unknown {
    return Object.is(value, -0) ? 0 : value;
}

function fail(name: string, reason: string): never {
    throw intrinsicFailure(`Invalid arguments in States.${name}: ${reason}.`);
}

function arity(name: string, args: readonly Arg[], min: number, max = min): void {
    if (args.length < min || args.length > max)
        fail(name, `expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? "" : "s"}, got ${args.length}`);
}

const typeOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function typed<T>(name: string, args: readonly Arg[], i: number, type: string): T {
    const v = args[i].value;
    if (typeOf(v) !== type) fail(name, `argument ${i + 1} must be a ${type}, got ${typeOf(v)}`);
    return v as T;
}

/** AWS rounds non-integer numbers where it expects integers; Java's Math.round, which JS's matches (recorded: test_math_add). */
function integer(name: string, args: readonly Arg[], i: number): number {
    return Math.round(typed<number>(name, args, i, "number")) + 0;
}

/** JSON value equality (objects by keys, not key order). */
export function jsonEquals(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeOf(a) !== typeOf(b) || typeof a !== "object" || a === null || b === null) return false;
    if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => jsonEquals(v, (b as unknown[])[i]));
    const ka = Object.keys(a);
    const bo = b as Record<string, unknown>;
    return (
        ka.length === Object.keys(bo).length &&
        ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEquals((a as Record<string, unknown>)[k], bo[k]))
    );
}

/**
 * How States.Format prints a value: as Java's `toString` would. Recorded (test_format_2,
 * test_context_json_path): objects print as `{Arg1=1, Arg2=[]}`, strings inside them unquoted.
 * UNKNOWN: arrays (not recorded); printed like Java lists, `[1, 2]`.
 */
function formatValue(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
    if (v !== null && typeof v === "object")
        return `{${Object.entries(v)
            .map(([k, x]) => `${k}=${formatValue(x)}`)
            .join(", ")}}`;
    return String(v);
}

/** mulberry32: a deterministic generator for seeded States.MathRandom / $random. UNKNOWN: AWS's generator (only "same seed, same result" is documented). */
export function seededRandom(seed: number): number {
    let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Every documented intrinsic, by name after `States.`. */
export const INTRINSICS: Readonly<Record<string, Intrinsic>> = {
    Format(args) {
        if (args.length < 1) fail("Format", "expected a template and its values");
        const template = typed<string>("Format", args, 0, "string");
        // A template read from a path has no escapes: every `{}` in it is a placeholder (UNKNOWN; AWS documents literals only).
        const at = args[0].placeholders ?? [...template.matchAll(/\{\}/g)].map((m) => m.index);
        if (at.length !== args.length - 1) fail("Format", `the template has ${at.length} placeholder(s) for ${args.length - 1} value(s)`);
        let out = "";
        let last = 0;
        at.forEach((offset, i) => {
            out += template.slice(last, offset) + formatValue(args[i + 1].value);
            last = offset + 2;
        });
        return out + template.slice(last);
    },
    StringToJson(args) {
        arity("StringToJson", args, 1);
        const text = typed<string>("StringToJson", args, 0, "string").trim();
        // Recorded (test_string_to_json): "" and " " give null.
        if (text === "") return null;
        try {
            // Recorded (test_string_to_json, "-0"): AWS answers 0; state data is JSON text, which has no -0.
            return JSON.parse(text, noNegativeZero) as unknown;
        } catch {
            return fail("StringToJson", "argument 1 is not valid JSON");
        }
    },
    JsonToString(args) {
        arity("JsonToString", args, 1);
        return JSON.stringify(args[0].value);
    },
    Array: (args) => args.map((a) => a.value),
    ArrayPartition(args) {
        arity("ArrayPartition", args, 2);
        const array = typed<unknown[]>("ArrayPartition", args, 0, "array");
        const size = integer("ArrayPartition", args, 1);
        if (size <= 0) fail("ArrayPartition", "the chunk size must be a positive integer");
        const chunks: unknown[][] = [];
        for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
        return chunks;
    },
    ArrayContains(args) {
        arity("ArrayContains", args, 2);
        return typed<unknown[]>("ArrayContains", args, 0, "array").some((v) => jsonEquals(v, args[1].value));
    },
    ArrayRange(args) {
        arity("ArrayRange", args, 3);
        const [first, last, step] = [0, 1, 2].map((i) => integer("ArrayRange", args, i));
        if (step === 0) fail("ArrayRange", "the step must not be 0");
        // UNKNOWN: a step pointing away from `last`; refused rather than guessed.
        if (Math.sign(last - first) === -Math.sign(step)) fail("ArrayRange", "the step does not lead from the first to the last value");
        const count = Math.floor((last - first) / step) + 1;
        if (count > MAX_RANGE) fail("ArrayRange", `the range has ${count} items, more than ${MAX_RANGE}`);
        return Array.from({ length: count }, (_, i) => first + i * step);
    },
    ArrayGetItem(args) {
        arity("ArrayGetItem", args, 2);
        const array = typed<unknown[]>("ArrayGetItem", args, 0, "array");
        const index = typed<number>("ArrayGetItem", args, 1, "number");
        // UNKNOWN: whether AWS rounds a fractional index; refused.
        if (!Number.isInteger(index) || index < 0 || index >= array.length)
            fail("ArrayGetItem", `index ${index} is out of bounds for an array of ${array.length}`);
        return array[index];
    },
    ArrayLength(args) {
        arity("ArrayLength", args, 1);
        return typed<unknown[]>("ArrayLength", args, 0, "array").length;
    },
    ArrayUnique(args) {
        arity("ArrayUnique", args, 1);
        const out: unknown[] = [];
        for (const v of typed<unknown[]>("ArrayUnique", args, 0, "array")) if (!out.some((u) => jsonEquals(u, v))) out.push(v);
        return out;
    },
    Base64Encode(args) {
        arity("Base64Encode", args, 1);
        const text = typed<string>("Base64Encode", args, 0, "string");
        if (text.length > MAX_TEXT) fail("Base64Encode", `the input is longer than ${MAX_TEXT} characters`);
        return Buffer.from(text, "utf8").toString("base64");
    },
    Base64Decode(args) {
        arity("Base64Decode", args, 1);
        const text = typed<string>("Base64Decode", args, 0, "string");
        if (text.length > MAX_TEXT) fail("Base64Decode", `the input is longer than ${MAX_TEXT} characters`);
        // Node's decoder skips invalid characters silently; AWS's decoder fails (UNKNOWN cause), so validate first.
        if (!BASE64.test(text)) fail("Base64Decode", "argument 1 is not Base64");
        return Buffer.from(text, "base64").toString("utf8");
    },
    Hash(args) {
        arity("Hash", args, 2);
        const data = typed<string>("Hash", args, 0, "string");
        const algorithm = HASHES[typed<string>("Hash", args, 1, "string")];
        if (!algorithm) fail("Hash", `the algorithm must be one of ${Object.keys(HASHES).join(", ")}`);
        if (data.length > MAX_TEXT) fail("Hash", `the input is longer than ${MAX_TEXT} characters`);
        return createHash(algorithm).update(data, "utf8").digest("hex");
    },
    JsonMerge(args) {
        arity("JsonMerge", args, 3);
        const a = typed<Record<string, unknown>>("JsonMerge", args, 0, "object");
        const b = typed<Record<string, unknown>>("JsonMerge", args, 1, "object");
        // AWS supports the shallow mode only: the third argument must be false.
        if (args[2].value !== false) fail("JsonMerge", "only shallow merging is supported; argument 3 must be false");
        return { ...a, ...b };
    },
    MathRandom(args) {
        arity("MathRandom", args, 2, 3);
        const start = integer("MathRandom", args, 0);
        const end = integer("MathRandom", args, 1);
        if (end <= start) fail("MathRandom", "the end must be greater than the start");
        const seed = args.length === 3 ? integer("MathRandom", args, 2) : undefined;
        return seed === undefined ? randomInt(start, end) : start + Math.floor(seededRandom(seed) * (end - start));
    },
    MathAdd(args) {
        arity("MathAdd", args, 2);
        const [a, b] = [0, 1].map((i) => integer("MathAdd", args, i));
        if ([a, b].some((n) => n < INT32[0] || n > INT32[1])) fail("MathAdd", `the values must be integers between ${INT32[0]} and ${INT32[1]}`);
        return a + b;
    },
    StringSplit(args) {
        arity("StringSplit", args, 2);
        const text = typed<string>("StringSplit", args, 0, "string");
        const delimiters = typed<string>("StringSplit", args, 1, "string");
        // Each character of the second argument splits, and empty pieces are dropped (recorded: test_string_split).
        const tokens: string[] = [];
        let token = "";
        for (const c of text) {
            if (delimiters.includes(c)) {
                if (token) tokens.push(token);
                token = "";
            } else token += c;
        }
        if (token) tokens.push(token);
        return tokens;
    },
    UUID(args) {
        arity("UUID", args, 0);
        return randomUUID();
    },
};
