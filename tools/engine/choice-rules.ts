/**
 * JSONPath Choice rules for the local engine: `And`/`Or`/`Not` and a `Variable` compared with one of
 * the operators AWS lists on the Choice state page ("Choice Rules (JSONPath)").
 *
 * What AWS does, and where it is from:
 * - A value of the wrong type makes a comparison false, never an error (recorded:
 *   v2/choice_operators/*.snapshot.json, e.g. `NumericEquals` on `""`, `StringEquals` on `1`).
 * - `Is*` operators compare the test with the literal: `"IsNull": false` is true for a non-null value
 *   (recorded: test_is_operators).
 * - A `Variable` that matches nothing fails the execution: "If the state input doesn't contain the
 *   $.type field, the execution fails" (Choice state page, example note). Only `IsPresent` tests for
 *   it. So this module lets `readPath`'s `States.Runtime` through. (A reading where a missing
 *   Variable is simply false is what LocalStack implements; AWS's page says otherwise.)
 * - Timestamps are RFC 3339 with an uppercase `T` and a `Z` or numeric offset, compared as instants.
 *
 * UNKNOWN (safe choice made): a `*Path` operand that matches nothing (fails, like `Variable`); a
 * literal operand of the wrong type, which AWS rejects when the definition is created (fails
 * here); a `StringMatches` escape other than `\*` and `\\` (fails).
 */
import { EngineError, readPath, tryReadPath, type PathScope } from "./scope";

type Rule = Record<string, unknown>;
type Family = "String" | "Numeric" | "Boolean" | "Timestamp";

const COMPARISON = /^(String|Numeric|Boolean|Timestamp)(Equals|GreaterThan|GreaterThanEquals|LessThan|LessThanEquals)(Path)?$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Keys of a rule that are not its test. */
const NOT_TESTS = new Set(["Variable", "Next", "Comment", "Assign", "Output"]);

function invalid(reason: string): EngineError {
    return new EngineError("States.Runtime", `Invalid Choice rule: ${reason}.`);
}

/** An RFC 3339 timestamp as [epoch seconds, nanoseconds], or undefined when `value` is not one. */
export function parseTimestamp(value: unknown): [number, number] | undefined {
    const m = typeof value === "string" ? TIMESTAMP.exec(value) : null;
    if (!m) return undefined;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const local = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(local);
    // Date.UTC rolls 2023-02-30 over to March; a real timestamp survives the round trip.
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
    const zone = m[8];
    const offset = zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60;
    const nanos = m[7] ? Number(m[7].slice(1).padEnd(9, "0")) : 0;
    return [local / 1000 - offset, nanos];
}

function isType(family: Family, value: unknown): boolean {
    if (family === "Timestamp") return parseTimestamp(value) !== undefined;
    return typeof value === (family === "Numeric" ? "number" : family.toLowerCase());
}

/** -1, 0 or 1; both values already have the family's type. */
function compare(family: Family, a: unknown, b: unknown): number {
    if (family === "Timestamp") {
        const [x, y] = [parseTimestamp(a)!, parseTimestamp(b)!];
        return Math.sign(x[0] - y[0] || x[1] - y[1]);
    }
    if (family === "Boolean") return a === b ? 0 : Number.NaN;
    // String order is UTF-16 code-unit order, as Java's String.compareTo (AWS's runtime) and JS's `<` agree.
    return (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcard(pattern: string): RegExp {
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "\\") {
            const next = pattern[++i];
            if (next !== "*" && next !== "\\") throw invalid(`\`StringMatches\` pattern \`${pattern}\` has an escape other than \\* or \\\\`);
            source += `\\${next}`;
        } else source += c === "*" ? "[\\s\\S]*" : c.replace(/[.+?^${}()|[\]\\/-]/g, "\\$&");
    }
    return new RegExp(`^${source}$`);
}

function isTest(name: string, variable: unknown, present: boolean, expected: boolean): boolean {
    const actual: Record<string, () => boolean> = {
        IsPresent: () => present,
        IsNull: () => present && variable === null,
        IsNumeric: () => typeof variable === "number",
        IsString: () => typeof variable === "string",
        IsBoolean: () => typeof variable === "boolean",
        IsTimestamp: () => parseTimestamp(variable) !== undefined,
    };
    return actual[name]() === expected;
}

function comparison(rule: Rule, scope: PathScope): boolean {
    const tests = Object.keys(rule).filter((k) => !NOT_TESTS.has(k));
    if (tests.length !== 1) throw invalid(`expected exactly one comparison operator, found ${tests.length ? tests.join(", ") : "none"}`);
    const [operator] = tests;
    const operand = rule[operator];
    if (typeof rule.Variable !== "string") throw invalid("`Variable` must be a path");
    if (operator.startsWith("Is")) {
        if (!["IsPresent", "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"].includes(operator)) throw invalid(`unknown operator \`${operator}\``);
        if (typeof operand !== "boolean") throw invalid(`\`${operator}\` takes true or false`);
        const value = operator === "IsPresent" ? tryReadPath(rule.Variable, scope) : readPath(rule.Variable, scope);
        return isTest(operator, value, value !== undefined, operand);
    }
    const variable = readPath(rule.Variable, scope);
    if (operator === "StringMatches") {
        if (typeof operand !== "string") throw invalid("`StringMatches` takes a string pattern");
        return typeof variable === "string" && wildcard(operand).test(variable);
    }
    const m = COMPARISON.exec(operator);
    if (!m) throw invalid(`unknown operator \`${operator}\``);
    const family = m[1] as Family;
    let other = operand;
    if (m[3]) {
        if (typeof operand !== "string") throw invalid(`\`${operator}\` takes a path`);
        other = readPath(operand, scope);
        if (!isType(family, other)) return false;
    } else if (!isType(family, operand)) throw invalid(`\`${operator}\` takes a ${family.toLowerCase()} value`);
    if (!isType(family, variable)) return false;
    const order = compare(family, variable, other);
    switch (m[2]) {
        case "Equals":
            return order === 0;
        case "GreaterThan":
            return order > 0;
        case "GreaterThanEquals":
            return order >= 0;
        case "LessThan":
            return order < 0;
        default:
            return order <= 0;
    }
}

/**
 * Whether a JSONPath Choice rule (or a nested condition of `And`/`Or`/`Not`) holds for `scope`.
 * Throws `States.Runtime` when the `Variable` matches nothing (except for `IsPresent`) or the
 * rule is malformed.
 */
export function matchesRule(rule: Record<string, unknown>, scope: PathScope): boolean {
    if ("And" in rule || "Or" in rule) {
        const rules = rule.And ?? rule.Or;
        if (!Array.isArray(rules) || rules.length === 0) throw invalid("`And`/`Or` take a non-empty array of rules");
        const results = (rules as Rule[]).map((r) => () => matchesRule(r, scope));
        // Short-circuits like AWS's documented And/Or; a later rule's missing Variable is then never read (UNKNOWN whether AWS reads it).
        return "And" in rule ? results.every((f) => f()) : results.some((f) => f());
    }
    if ("Not" in rule) {
        if (rule.Not === null || typeof rule.Not !== "object" || Array.isArray(rule.Not)) throw invalid("`Not` takes one rule");
        return !matchesRule(rule.Not as Rule, scope);
    }
    return comparison(rule, scope);
}
