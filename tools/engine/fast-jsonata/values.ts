/**
 * The value model of jsonata 2.0.6 (its `utils.js`, MIT), kept bit for bit so that values cross
 * freely between this evaluator and jsonata's own built-in implementations: a *sequence* is an array
 * with an enumerable `sequence: true` (jsonata sets it that way, and it shows in deep-equal checks),
 * `keepSingleton` keeps a one-item sequence an array, `cons` marks an array built by `[...]`.
 * Errors are plain objects with jsonata's `code` (`{ code: "T2009" }`): the caller never shows
 * their text, it re-runs jsonata for the exact message (see `index.ts`).
 */

/** An array as jsonata marks it. */
export type Sequence = unknown[] & { sequence?: boolean; keepSingleton?: boolean; cons?: boolean; outerWrapper?: boolean; tupleStream?: boolean };

/** A jsonata evaluation error: what jsonata throws before it adds the message. */
export interface JsonataFault {
    readonly code: string;
    readonly value?: unknown;
}

/** Throws jsonata's error `code` (with the offending value, as jsonata does). */
export function fault(code: string, value?: unknown): never {
    throw { code, value } satisfies JsonataFault;
}

/** jsonata's `createSequence()`/`createSequence(item)`. */
export function createSequence(...items: unknown[]): Sequence {
    const sequence: Sequence = [];
    sequence.sequence = true;
    if (items.length === 1) sequence.push(items[0]);
    return sequence;
}

/** jsonata's `isSequence`. */
export function isSequence(value: unknown): value is Sequence {
    return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** jsonata's `isNumeric`: a number that is not NaN; an infinite number is error D1001. */
export function isNumeric(n: unknown): n is number {
    if (typeof n !== "number" || Number.isNaN(n)) return false;
    if (!Number.isFinite(n)) fault("D1001", n);
    return true;
}

/** jsonata's `isArrayOfNumbers`. */
export function isArrayOfNumbers(value: unknown): boolean {
    return Array.isArray(value) && value.filter((item) => !isNumeric(item)).length === 0;
}

/** jsonata's `isFunction`: a lambda, a native function definition, or a JS function (a regex matcher). */
export function isFunction(value: unknown): boolean {
    if (typeof value === "function") return true;
    const v = value as { _jsonata_function?: boolean; _jsonata_lambda?: boolean } | null | undefined;
    return !!v && (v._jsonata_function === true || v._jsonata_lambda === true);
}

/** jsonata's `getFunctionArity`. */
export function functionArity(func: unknown): number {
    const f = func as { arity?: number; implementation?: unknown; length?: number; arguments: unknown[] };
    if (typeof f.arity === "number") return f.arity;
    if (typeof f.implementation === "function") return f.implementation.length;
    if (typeof f.length === "number") return f.length;
    return f.arguments.length;
}

/** jsonata's `isDeepEqual` (the `=` operator). */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
    if (lhs === rhs) return true;
    if (typeof lhs !== "object" || typeof rhs !== "object" || lhs === null || rhs === null) return false;
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
        if (lhs.length !== rhs.length) return false;
        for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false;
        return true;
    }
    const lkeys = Object.getOwnPropertyNames(lhs).sort();
    const rkeys = Object.getOwnPropertyNames(rhs).sort();
    if (lkeys.length !== rkeys.length) return false;
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
    for (const key of lkeys) if (!isDeepEqual((lhs as Record<string, unknown>)[key], (rhs as Record<string, unknown>)[key])) return false;
    return true;
}

/** jsonata's `flatten` of a sequence's items into one sequence (the end of a path step). */
export function flattenStep(results: readonly unknown[]): Sequence {
    const out = createSequence();
    for (const res of results) {
        if (!Array.isArray(res) || (res as Sequence).cons) out.push(res);
        else for (const v of res) out.push(v);
    }
    return out;
}
