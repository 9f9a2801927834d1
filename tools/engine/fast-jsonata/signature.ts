/**
 * A memo in front of jsonata's own argument validation (`signature.js`'s `validate`), which builds a
 * type string of the arguments and matches it with a regex on every call: a fifth of the fast
 * evaluator's time on the collection's page transform. jsonata stays the judge: the memo only
 * remembers, per key, that jsonata returned the arguments unchanged, and for that key returns them
 * without asking again. The key is the type string (what every step of `validate` reads: the regex,
 * inserting the context for a missing `-` argument, wrapping a non-array in an array, `undefined` for a
 * missing optional one) and, when a parameter has an array subtype (`a<o>`), the one type of each array
 * argument's items (or that they are mixed), which is all the subtype check reads. A function subtype
 * (`f<s:o>`) is never memoised.
 */
import { isFunction } from "./values";

/** jsonata's parsed signature, as `defineFunction` stores it. */
export interface Signature {
    readonly definition?: string;
    validate(args: unknown[], context: unknown): unknown[];
}

/** jsonata's `getSymbol` (signature.js): the one-letter type of an argument. */
function symbolOf(value: unknown): string {
    if (isFunction(value)) return "f";
    switch (typeof value) {
        case "string":
            return "s";
        case "number":
            return "n";
        case "boolean":
            return "b";
        case "object":
            return value === null ? "l" : Array.isArray(value) ? "a" : "o";
        default:
            return "m";
    }
}

/** True when `validated` holds exactly `args`, in order (nothing inserted, wrapped or added). */
function unchanged(args: readonly unknown[], validated: readonly unknown[]): boolean {
    if (args.length !== validated.length) return false;
    for (let i = 0; i < args.length; i++) if (args[i] !== validated[i]) return false;
    return true;
}

/** The key part of an array argument for an array subtype: its items' one type, `*` when they differ, nothing when empty. */
function itemsKey(items: readonly unknown[]): string {
    if (items.length === 0) return "[]";
    const first = symbolOf(items[0]);
    for (let i = 1; i < items.length; i++) if (symbolOf(items[i]) !== first) return "[*]";
    return `[${first}]`;
}

/** `signature` with the memo in front, or `signature` itself for a function subtype (or no definition). */
export function memoSignature(signature: Signature | undefined): Signature | undefined {
    const definition = signature?.definition;
    if (!signature || typeof definition !== "string") return signature;
    // `<params:return>`: the return type is never checked, so only the parameters' subtypes matter.
    if (/f</.test(definition)) return signature;
    const end = definition.includes(":") ? definition.indexOf(":") : definition.length - 1;
    const arraySubtype = definition.slice(1, end).includes("<");
    const passThrough = new Set<string>();
    return {
        definition,
        validate(args, context) {
            let key = "";
            for (const arg of args) {
                const symbol = symbolOf(arg);
                key += symbol;
                if (arraySubtype && symbol === "a") key += itemsKey(arg as unknown[]);
            }
            if (passThrough.has(key)) return args;
            const validated = signature.validate(args, context);
            if (unchanged(args, validated)) passThrough.add(key);
            return validated;
        },
    };
}
