/**
 * JSONata in JSONata states (AWS "Transforming data with JSONata in Step Functions"): a string that is
 * exactly `{% expression %}` anywhere in a field's JSON template is evaluated with jsonata 2.0.6 (the
 * version Step Functions runs); everything else is literal. Bindings: `$states` (`input`, `result`,
 * `errorOutput`, `context`) and every workflow variable as `$name`. Failures are
 * `States.QueryEvaluationError` with AWS's cause wording, taken from executions recorded on AWS
 * (LocalStack `assign` and `evaluate_jsonata` snapshots): "...returned nothing (undefined).",
 * "...threw an error during evaluation. <code>: <message>", "...returned an unsupported result
 * type.", "...returned an unexpected result type. Expected 'array', but was 'string' for value: ...".
 * Each expression is compiled once per process (cached by its text), for jsonata and, where it can,
 * for the synchronous fast evaluator (`fast-jsonata/`), which then evaluates it: jsonata 2.0.6's
 * semantics without its asynchronous machinery. An evaluation the fast evaluator cannot finish
 * (any error, or a function as the result) is re-run on jsonata, whose outcome is the answer.
 */
import jsonata from "jsonata";
import { compileFast, FastExpression, needsJsonata, prepareFastJsonata } from "./fast-jsonata";
import { registerStepFunctionsFunctions } from "./jsonata-functions";
import { EngineError } from "./scope";
import { Rec } from "./types";

/** Where an expression sits, for causes: the state, the event id it was entered at, and the field (`Output/result`). */
export interface Where {
    readonly state: string;
    readonly enteredId: number;
    readonly field: string;
}

/** What `$states` holds in one evaluation. */
export interface StatesBinding {
    readonly input: unknown;
    readonly context: unknown;
    readonly result?: unknown;
    readonly errorOutput?: unknown;
}

const TEMPLATE = /^\{%([\s\S]*)%\}$/;
/** An expression compiled once: jsonata's, and the fast evaluator's when it supports the expression. */
interface Compiled {
    readonly jsonata: jsonata.Expression;
    readonly fast?: FastExpression;
}
const compiled = new Map<string, Compiled>();
let fastEnabled = true;

/**
 * Turns the fast evaluator on or off for this process (on by default); off, every expression runs on
 * jsonata, as before the fast evaluator existed (for differential tests and benchmarks).
 */
export function useFastJsonata(on: boolean): void {
    fastEnabled = on;
}

let observer: ((expression: string, bindings: Rec) => void) | undefined;

/** Calls `observe` with every expression evaluated from now on and its bindings (tests record real inputs this way); undefined stops it. */
export function observeJsonata(observe: ((expression: string, bindings: Rec) => void) | undefined): void {
    observer = observe;
}
/** `$name` or `$name.field.field`: a lookup the engine can do without jsonata's (asynchronous) evaluator. */
const SIMPLE = /^\s*\$([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)\s*$/;
/** Each expression's lookup steps (`["states", "input", "orderId"]`), or null when it is not a simple lookup. */
const simple = new Map<string, readonly string[] | null>();
const FALLBACK = Symbol("fallback");

/**
 * A simple lookup walked directly: through plain objects only, where jsonata's path semantics and a
 * property read agree (a missing step is undefined in both). An array anywhere (jsonata maps over
 * arrays and flattens sequences) or a function sends the expression to jsonata.
 */
function lookup(source: string, bindings: Rec): unknown {
    let steps = simple.get(source);
    if (steps === undefined) {
        const m = SIMPLE.exec(source);
        steps = m ? [m[1], ...m[2].split(".").slice(1)] : null;
        simple.set(source, steps);
    }
    // A `$name` that is not bound here may be a JSONata built-in (`$now`): jsonata resolves it.
    if (steps === null || !Object.prototype.hasOwnProperty.call(bindings, steps[0])) return FALLBACK;
    let value: unknown = bindings;
    for (const step of steps) {
        if (value === undefined) return undefined;
        if (value === null || typeof value !== "object" || Array.isArray(value)) return FALLBACK;
        value = Object.prototype.hasOwnProperty.call(value, step) ? (value as Rec)[step] : undefined;
    }
    return Array.isArray(value) || typeof value === "function" ? FALLBACK : value;
}

/** The `Cause` prefix AWS puts on every state error. */
export function stateCause(where: { state: string; enteredId: number }, message: string): string {
    return `An error occurred while executing the state '${where.state}' (entered at the event id #${where.enteredId}). ${message}`;
}

/** A `States.QueryEvaluationError` about `expression` in `where`. */
export function queryError(where: Where, expression: string, message: string): EngineError {
    return new EngineError(
        "States.QueryEvaluationError",
        stateCause(where, `The JSONata expression '${expression}' specified for the field '${where.field}' ${message}`),
    );
}

async function compile(source: string, where: Where): Promise<Compiled> {
    let entry = compiled.get(source);
    if (!entry) {
        let expression: jsonata.Expression;
        try {
            expression = jsonata(source);
        } catch (e) {
            // UNKNOWN: AWS rejects an unparsable expression at CreateStateMachine; at run time we report it here.
            throw queryError(where, source, `could not be parsed. ${jsonataMessage(e)}`);
        }
        registerStepFunctionsFunctions(expression);
        await prepareFastJsonata();
        entry = { jsonata: expression, fast: compileFast(expression.ast()) };
        compiled.set(source, entry);
    }
    return entry;
}

/** Evaluates on the fast evaluator when it can, else (or when it cannot finish) on jsonata. */
async function run(entry: Compiled, bindings: Rec): Promise<unknown> {
    if (fastEnabled && entry.fast) {
        try {
            const result = entry.fast(bindings);
            if (!needsJsonata(result)) return result;
        } catch {
            // jsonata decides: its error (code and message) is the one AWS shows, and it is the reference if we erred.
        }
    }
    return entry.jsonata.evaluate({}, bindings);
}

function jsonataMessage(e: unknown): string {
    const err = e as { code?: string; message?: string };
    return err.code ? `${err.code}: ${err.message}` : String(err.message ?? e);
}

/** The bindings of one evaluation: variables as `$name`, and `$states`. */
export function bindingsOf(variables: Readonly<Rec>, states: StatesBinding): Rec {
    return { ...variables, states };
}

async function evaluateString(value: string, bindings: Rec, where: Where): Promise<unknown> {
    const source = TEMPLATE.exec(value)?.[1];
    if (source === undefined) return value;
    const expression = source.trim();
    observer?.(source, bindings);
    let result: unknown = lookup(source, bindings);
    if (result !== FALLBACK) {
        if (result === undefined) throw queryError(where, expression, "returned nothing (undefined).");
        return result;
    }
    try {
        result = await run(await compile(source, where), bindings);
    } catch (e) {
        if (e instanceof EngineError) throw e;
        throw queryError(where, expression, `threw an error during evaluation. ${jsonataMessage(e)}`);
    }
    if (result === undefined) throw queryError(where, expression, "returned nothing (undefined).");
    if (typeof result === "function") throw queryError(where, expression, "returned an unsupported result type.");
    return result;
}

/** Evaluates a JSONata-state field template (`{% %}` strings anywhere in `value`); `where.field` names the field. */
export async function evaluateTemplate(value: unknown, bindings: Rec, where: Where): Promise<unknown> {
    if (typeof value === "string") return evaluateString(value, bindings, where);
    if (Array.isArray(value)) return Promise.all(value.map((v, i) => evaluateTemplate(v, bindings, { ...where, field: `${where.field}/${i}` })));
    if (value !== null && typeof value === "object") {
        const out: Rec = {};
        for (const [k, v] of Object.entries(value)) out[k] = await evaluateTemplate(v, bindings, { ...where, field: `${where.field}/${k}` });
        return out;
    }
    return value;
}

/** The JSON type name AWS's causes use. */
export function jsonType(value: unknown): string {
    return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

/** Evaluates a field that must yield one JSON type (`Items` → array, `Condition` → boolean, ...). */
export async function evaluateTyped(value: unknown, expected: "array" | "boolean" | "number" | "string", bindings: Rec, where: Where): Promise<unknown> {
    const result = await evaluateTemplate(value, bindings, where);
    if (jsonType(result) === expected) return result;
    const expression = typeof value === "string" ? (TEMPLATE.exec(value)?.[1]?.trim() ?? value) : JSON.stringify(value);
    throw queryError(
        where,
        expression,
        `returned an unexpected result type. Expected '${expected}', but was '${jsonType(result)}' for value: ${JSON.stringify(result)}`,
    );
}
