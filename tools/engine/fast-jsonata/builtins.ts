/**
 * The functions the fast evaluator can call. jsonata's own definitions are used wherever they are
 * synchronous (taken from jsonata itself, signatures included, so argument checks and results are
 * jsonata's); the few that jsonata 2.0.6 writes as `async` only because they may call back into an
 * expression (`$map`, `$filter`, `$sift`, `$reduce`, `$sort`, and `$contains`/`$match`/`$split`,
 * which await a regex matcher) are ported from its `functions.js` (MIT) line by line, without the
 * awaits, and keep jsonata's signatures. `$millis` reads the evaluation's timestamp, as jsonata's
 * does. Step Functions' additions come from `jsonata-functions.ts`, registered the same way.
 * Argument checks go through `signature.ts`'s memo of jsonata's own.
 */
import jsonata from "jsonata";
import { registerStepFunctionsFunctions } from "../jsonata-functions";
import { Focus, NativeFunction } from "./runtime";
import { memoSignature } from "./signature";
import { createSequence, fault, functionArity, isArrayOfNumbers } from "./values";

/** jsonata built-ins whose implementation is synchronous and used as is. */
const NATIVE = [
    ...["sum", "count", "max", "min", "average", "string", "substring", "substringBefore", "substringAfter", "lowercase", "uppercase", "length"],
    ...["trim", "pad", "join", "number", "floor", "ceil", "round", "abs", "sqrt", "power", "boolean", "not", "keys", "lookup", "append"],
    ...["exists", "spread", "merge", "reverse", "type", "distinct", "zip", "error", "assert", "formatBase"],
    ...["base64encode", "base64decode", "encodeUrlComponent", "encodeUrl", "decodeUrlComponent", "decodeUrl"],
    // Step Functions' additions (jsonata-functions.ts).
    ...["partition", "range", "hash", "random", "uuid", "parse", "eval"],
];

type Impl = (this: Focus, ...args: unknown[]) => unknown;
type Func = { apply(self: unknown, args: unknown[]): unknown };

function call(focus: Focus, func: unknown, args: unknown[]): unknown {
    return (func as Func).apply(focus, args);
}

/** jsonata's `hofFuncArgs`: as many of (value, index, array) as the function takes. */
function hofArgs(func: unknown, a: unknown, b: unknown, c: unknown): unknown[] {
    const arity = functionArity(func);
    return arity >= 3 ? [a, b, c] : arity >= 2 ? [a, b] : [a];
}

type Match = { match: string; start: number; end: number; groups: string[]; next: () => Match | undefined };

function evaluateMatcher(matcher: unknown, str?: string): Match | undefined {
    const result = (matcher as (s?: string) => Match | undefined).apply(undefined, [str]);
    if (result && !(typeof result.start === "number" || Array.isArray(result.groups) || typeof result.next === "function")) fault("T1010");
    return result;
}

function boolean(value: unknown): boolean | undefined {
    return (nativeImpl.get("boolean") as (v: unknown) => boolean | undefined)(value);
}

const PORTED: Record<string, Impl> = {
    contains(str, token) {
        if (str === undefined) return undefined;
        if (typeof token === "string") return (str as string).indexOf(token) !== -1;
        return evaluateMatcher(token, str as string) !== undefined;
    },
    match(str, regex, limit) {
        if (str === undefined) return undefined;
        if ((limit as number) < 0) fault("D3040", limit);
        const result = createSequence();
        if (limit === undefined || (limit as number) > 0) {
            let count = 0;
            let m = evaluateMatcher(regex, str as string);
            while (m !== undefined && (limit === undefined || count < (limit as number))) {
                result.push({ match: m.match, index: m.start, groups: m.groups });
                m = evaluateMatcher(m.next);
                count++;
            }
        }
        return result;
    },
    split(str, separator, limit) {
        if (str === undefined) return undefined;
        if ((limit as number) < 0) fault("D3020", limit);
        const s = str as string;
        let result: string[] = [];
        if (limit === undefined || (limit as number) > 0) {
            if (typeof separator === "string") result = s.split(separator, limit as number | undefined);
            else {
                let count = 0;
                let m = evaluateMatcher(separator, s);
                if (m !== undefined) {
                    let start = 0;
                    while (m !== undefined && (limit === undefined || count < (limit as number))) {
                        result.push(s.substring(start, m.start));
                        start = m.end;
                        m = evaluateMatcher(m.next);
                        count++;
                    }
                    if (limit === undefined || count < (limit as number)) result.push(s.substring(start));
                } else result.push(s);
            }
        }
        return result;
    },
    map(arr, func) {
        if (arr === undefined) return undefined;
        const a = arr as unknown[];
        const result = createSequence();
        for (let i = 0; i < a.length; i++) {
            const res = call(this, func, hofArgs(func, a[i], i, a));
            if (res !== undefined) result.push(res);
        }
        return result;
    },
    filter(arr, func) {
        if (arr === undefined) return undefined;
        const a = arr as unknown[];
        const result = createSequence();
        for (let i = 0; i < a.length; i++) if (boolean(call(this, func, hofArgs(func, a[i], i, a)))) result.push(a[i]);
        return result;
    },
    sift(arg, func) {
        const result: Record<string, unknown> = {};
        for (const key in arg as object) {
            const entry = (arg as Record<string, unknown>)[key];
            if (boolean(call(this, func, hofArgs(func, entry, key, arg)))) result[key] = entry;
        }
        return Object.keys(result).length === 0 ? undefined : result;
    },
    reduce(sequence, func, init) {
        if (sequence === undefined) return undefined;
        const s = sequence as unknown[];
        const arity = functionArity(func);
        if (arity < 2) throw { code: "D3050", index: 1 };
        let result: unknown;
        let index: number;
        if (init === undefined && s.length > 0) [result, index] = [s[0], 1];
        else [result, index] = [init, 0];
        for (; index < s.length; index++) {
            const args = [result, s[index]];
            if (arity >= 3) args.push(index);
            if (arity >= 4) args.push(s);
            result = call(this, func, args);
        }
        return result;
    },
    /** One-argument `$sort` only (the compiler refuses a comparator): jsonata's merge sort on `a > b` is a stable sort. */
    sort(arr) {
        if (arr === undefined) return undefined;
        const a = arr as unknown[];
        if (a.length <= 1) return a;
        if (!isArrayOfNumbers(a) && !a.every((item) => typeof item === "string")) throw { code: "D3070", index: 1 };
        return [...(a as (string | number)[])].sort((x, y) => (x > y ? 1 : y > x ? -1 : 0));
    },
    millis() {
        return this.environment.timestamp;
    },
};

/** The names of the functions the fast evaluator supports (every other jsonata function sends its expression to jsonata). */
export const SUPPORTED: ReadonlySet<string> = new Set([...NATIVE, ...Object.keys(PORTED)]);

const nativeImpl = new Map<string, unknown>();
let functions: Map<string, NativeFunction> | undefined;

/** The function table, once loaded (undefined before `loadFunctions` resolved). */
export function loadedFunctions(): ReadonlyMap<string, unknown> | undefined {
    return functions;
}

/** Loads jsonata's definitions of the supported functions (jsonata only hands them out through an evaluation). */
export async function loadFunctions(): Promise<ReadonlyMap<string, unknown>> {
    if (functions) return functions;
    const table = new Map<string, NativeFunction>();
    for (const name of SUPPORTED) {
        const expression = jsonata(`$${name}`);
        registerStepFunctionsFunctions(expression);
        const def = (await expression.evaluate({})) as NativeFunction;
        const impl = PORTED[name] ?? def.implementation;
        if (impl.constructor.name === "AsyncFunction") throw new Error(`fast-jsonata: jsonata's $${name} is asynchronous.`);
        nativeImpl.set(name, impl);
        table.set(name, { _jsonata_function: true, implementation: impl, signature: memoSignature(def.signature) });
    }
    functions = table;
    return table;
}
