/**
 * jsonata 2.0.6's operators, filters, object constructor and regex values (`evaluateBinary` and the
 * `evaluate*Expression` functions, `evaluateFilter`, `evaluateGroupExpression`, `evaluateRegex` in
 * its `jsonata.js`, MIT), ported without the awaits. Error codes and the values they carry are
 * jsonata's; the messages are added by re-running jsonata (`index.ts`).
 */
import { loadedFunctions } from "./builtins";
import { Evaluator, Frame, NativeFunction } from "./runtime";
import { createSequence, fault, isArrayOfNumbers, isDeepEqual, isNumeric, Sequence } from "./values";

type Impl = (...args: unknown[]) => unknown;
let natives: { boolean: Impl; append: Impl; lookup: Impl; string: Impl } | undefined;

/** jsonata's own `boolean`, `append`, `lookup` and `string`, which its evaluator also calls directly. */
function fn(): NonNullable<typeof natives> {
    if (natives) return natives;
    const table = loadedFunctions();
    if (!table) throw new Error("fast-jsonata: the functions are not loaded.");
    const get = (name: string) => (table.get(name) as NativeFunction).implementation as Impl;
    return (natives = { boolean: get("boolean"), append: get("append"), lookup: get("lookup"), string: get("string") });
}

/** jsonata's `fn.boolean` (effective boolean value; undefined stays undefined). */
export function toBoolean(value: unknown): boolean | undefined {
    return fn().boolean(value) as boolean | undefined;
}

/** jsonata's `fn.append`. */
export function append(a: unknown, b: unknown): unknown {
    return fn().append(a, b);
}

/** jsonata's `fn.lookup` (a name step). */
export function lookup(input: unknown, key: string): unknown {
    return fn().lookup(input, key);
}

function numeric(lhs: unknown, rhs: unknown, op: string): number | undefined {
    if (lhs !== undefined && !isNumeric(lhs)) fault("T2001", lhs);
    if (rhs !== undefined && !isNumeric(rhs)) fault("T2002", rhs);
    if (lhs === undefined || rhs === undefined) return undefined;
    const [l, r] = [lhs as number, rhs as number];
    return op === "+" ? l + r : op === "-" ? l - r : op === "*" ? l * r : op === "/" ? l / r : l % r;
}

function comparison(lhs: unknown, rhs: unknown, op: string): boolean | undefined {
    const [lt, rt] = [typeof lhs, typeof rhs];
    const lok = lt === "undefined" || lt === "string" || lt === "number";
    const rok = rt === "undefined" || rt === "string" || rt === "number";
    if (!lok || !rok) fault("T2010", !(lt === "string" || lt === "number") ? lhs : rhs);
    if (lt === "undefined" || rt === "undefined") return undefined;
    if (lt !== rt) throw { code: "T2009", value: lhs, value2: rhs };
    const [l, r] = [lhs as number, rhs as number];
    return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
}

function range(lhs: unknown, rhs: unknown): Sequence | undefined {
    if (lhs !== undefined && !Number.isInteger(lhs)) fault("T2003", lhs);
    if (rhs !== undefined && !Number.isInteger(rhs)) fault("T2004", rhs);
    if (lhs === undefined || rhs === undefined || (lhs as number) > (rhs as number)) return undefined;
    const size = (rhs as number) - (lhs as number) + 1;
    if (size > 1e7) fault("D2014", size);
    const result: Sequence = new Array<unknown>(size);
    for (let i = 0; i < size; i++) result[i] = (lhs as number) + i;
    result.sequence = true;
    return result;
}

function boolize(value: unknown): boolean {
    return toBoolean(value) ?? false;
}

/** A binary operator (`and`/`or` evaluate their right side only when jsonata does). */
export function binary(op: string, lhsEv: Evaluator, rhsEv: Evaluator): Evaluator | undefined {
    switch (op) {
        case "and":
            return (input, env) => boolize(lhsEv(input, env)) && boolize(rhsEv(input, env));
        case "or":
            return (input, env) => boolize(lhsEv(input, env)) || boolize(rhsEv(input, env));
        case "+":
        case "-":
        case "*":
        case "/":
        case "%":
            return (input, env) => numeric(lhsEv(input, env), rhsEv(input, env), op);
        case "=":
        case "!=":
            return (input, env) => {
                const [l, r] = [lhsEv(input, env), rhsEv(input, env)];
                if (l === undefined || r === undefined) return false;
                return op === "=" ? isDeepEqual(l, r) : !isDeepEqual(l, r);
            };
        case "<":
        case "<=":
        case ">":
        case ">=":
            return (input, env) => comparison(lhsEv(input, env), rhsEv(input, env), op);
        case "&":
            return (input, env) => {
                const [l, r] = [lhsEv(input, env), rhsEv(input, env)];
                return (l === undefined ? "" : (fn().string(l) as string)).concat(r === undefined ? "" : (fn().string(r) as string));
            };
        case "..":
            return (input, env) => range(lhsEv(input, env), rhsEv(input, env));
        case "in":
            return (input, env) => {
                const [l, r] = [lhsEv(input, env), rhsEv(input, env)];
                if (l === undefined || r === undefined) return false;
                return (Array.isArray(r) ? r : [r]).some((item) => item === l);
            };
        default:
            return undefined;
    }
}

/** jsonata's `evaluateFilter`: a number literal indexes; any other predicate keeps items by index list or truthiness. */
export function filter(predicate: Evaluator, indexLiteral: number | undefined, input: unknown, env: Frame): Sequence {
    let results = createSequence();
    const items: Sequence = Array.isArray(input) ? input : createSequence(input);
    if (indexLiteral !== undefined) {
        let index = Math.floor(indexLiteral);
        if (index < 0) index = items.length + index;
        const item = items[index];
        if (item !== undefined) {
            if (Array.isArray(item)) results = item;
            else results.push(item);
        }
        return results;
    }
    for (let index = 0; index < items.length; index++) {
        const item = items[index];
        let res = predicate(item, env);
        if (isNumeric(res)) res = [res];
        if (isArrayOfNumbers(res)) {
            for (const n of res as number[]) {
                let i = Math.floor(n);
                if (i < 0) i = items.length + i;
                if (i === index) results.push(item);
            }
        } else if (toBoolean(res)) results.push(item);
    }
    return results;
}

/** jsonata's `evaluateGroupExpression` for an object constructor `{ key: value, ... }` (no tuple streams: the compiler refuses them). */
export function group(pairs: readonly (readonly [Evaluator, Evaluator])[], input: unknown, env: Frame): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const groups: Record<string, { data: unknown; exprIndex: number }> = {};
    const items: unknown[] = Array.isArray(input) ? input : createSequence(input);
    // jsonata pushes onto the input itself, so an empty array context still builds the literal object.
    if (items.length === 0) items.push(undefined);
    for (const item of items) {
        for (let pairIndex = 0; pairIndex < pairs.length; pairIndex++) {
            const key = pairs[pairIndex][0](item, env);
            if (typeof key !== "string" && key !== undefined) fault("T1003", key);
            if (key === undefined) continue;
            if (Object.prototype.hasOwnProperty.call(groups, key)) {
                if (groups[key].exprIndex !== pairIndex) fault("D1009", key);
                groups[key].data = append(groups[key].data, item);
            } else groups[key] = { data: item, exprIndex: pairIndex };
        }
    }
    for (const key of Object.keys(groups)) {
        const value = pairs[groups[key].exprIndex][1](groups[key].data, env);
        if (value !== undefined) result[key] = value;
    }
    return result;
}

type RegexMatch = { match: string; start: number; end: number; groups: string[]; next: () => RegexMatch | undefined };

/** jsonata's `evaluateRegex`: a matcher function over a fresh copy of the literal (its `lastIndex` is the matcher's state). */
export function regexValue(pattern: RegExp): (str: string, fromIndex?: number) => RegexMatch | undefined {
    const re = new RegExp(pattern);
    const closure = (str: string, fromIndex?: number): RegexMatch | undefined => {
        re.lastIndex = fromIndex || 0;
        const match = re.exec(str);
        if (match === null) return undefined;
        const result: RegexMatch = {
            match: match[0],
            start: match.index,
            end: match.index + match[0].length,
            groups: match.slice(1),
            next: () => {
                if (re.lastIndex >= str.length) return undefined;
                const next = closure(str, re.lastIndex);
                if (next && next.match === "") fault("D1004", pattern.source);
                return next;
            },
        };
        return result;
    };
    return closure;
}
