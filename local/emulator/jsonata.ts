/**
 * JSONata Choice, Fail and Pass states for the local engine. aws-local-stepfunctions 3.0 runs JSONPath
 * only (http-task-facts.md §13), so each such state (`"QueryLanguage": "JSONata"`) is lowered
 * before the engine sees it into states the engine does run, evaluating with jsonata 2.0.6 (the
 * version Step Functions runs):
 *
 *   Choice `<name>` → a Task served locally that evaluates the `Condition`s in order and the
 *                     `Output`, then `<ROUTE_PREFIX><name>`, a JSONPath Choice that routes on the
 *                     chosen rule's index and passes on the evaluated `Output`;
 *   Fail `<name>`   → a Task served locally that evaluates `Error` and `Cause` and fails the
 *                     execution with them (neither retried nor caught, like a Fail state);
 *   Pass `<name>`   → a Task served locally that evaluates `Output` (no Retry or Catch, like a Pass
 *                     state: a failing expression fails the execution).
 *
 * Route states are hidden from traces. A failing expression raises
 * `States.QueryEvaluationError`, as in AWS, and a Choice state has no `Catch`, so it fails the
 * execution there too. `$states.input` is the state input; `$parse()` is Step Functions' own
 * addition to JSONata.
 */
import jsonata from "jsonata";
import { mapNestedMachines } from "./definition";
import { TaskError } from "./errors";
import { isObject } from "../../asl/json";

/** The `Resource` of a lowered JSONata state (never sent anywhere). */
export const JSONATA_STATE = "arn:aws:states:::local:jsonata";
/** Name prefix of the hidden route states. */
export const ROUTE_PREFIX = "\u00a7route:";

type Json = unknown;
type Rec = Record<string, unknown>;

const compiled = new Map<string, jsonata.Expression>();

function compile(source: string): jsonata.Expression {
    let expression = compiled.get(source);
    if (!expression) {
        try {
            expression = jsonata(source);
        } catch (e) {
            throw new TaskError("States.QueryEvaluationError", `Invalid JSONata expression: ${(e as Error).message}`);
        }
        expression.registerFunction("parse", (text: string) => JSON.parse(text), "<s:j>");
        compiled.set(source, expression);
    }
    return expression;
}

const TEMPLATE = /^\{%([\s\S]*)%\}$/;

/** Evaluates a JSONata-state field: `{% %}` strings anywhere in `value`, everything else literal. */
export async function evaluateTemplate(value: Json, bindings: Rec): Promise<Json> {
    if (typeof value === "string") {
        const source = TEMPLATE.exec(value)?.[1];
        if (source === undefined) return value;
        try {
            return await compile(source).evaluate({}, bindings);
        } catch (e) {
            if (e instanceof TaskError) throw e;
            throw new TaskError("States.QueryEvaluationError", `JSONata evaluation failed: ${(e as Error).message ?? String(e)}`);
        }
    }
    if (Array.isArray(value)) return Promise.all(value.map((v) => evaluateTemplate(v, bindings)));
    if (isObject(value)) {
        const out: Rec = {};
        for (const [k, v] of Object.entries(value)) {
            const evaluated = await evaluateTemplate(v, bindings);
            if (evaluated !== undefined) out[k] = evaluated;
        }
        return out;
    }
    return value;
}

/** What the lowered Task returns: the index of the first true rule (-1 for none) and the output. */
interface ChoiceOutcome {
    readonly rule: number;
    readonly output: Json;
}

/** The local handler of a lowered JSONata Choice state. */
export function jsonataChoiceHandler(state: Rec): (input: unknown) => Promise<ChoiceOutcome> {
    const rules = (state.Choices as Rec[]).map((r) => r.Condition);
    return async (input) => {
        const bindings = { states: { input, context: {} } };
        let chosen = -1;
        for (let i = 0; i < rules.length && chosen < 0; i++) {
            const value = await evaluateTemplate(rules[i], bindings);
            if (typeof value !== "boolean")
                throw new TaskError("States.QueryEvaluationError", `The Condition of Choice rule ${i} evaluated to ${JSON.stringify(value)}, not a boolean.`);
            if (value) chosen = i;
        }
        const output = state.Output === undefined ? input : await evaluateTemplate(state.Output, bindings);
        return { rule: chosen, output: output === undefined ? null : output };
    };
}

/** Ends the execution with a JSONata Fail state's error: neither `Retry` nor `Catch` applies. */
class FailStateError extends TaskError {
    override get isRetryable(): boolean {
        return false;
    }
    override get isCatchable(): boolean {
        return false;
    }
}

/** The local handler of a lowered JSONata Fail state. */
export function jsonataFailHandler(state: Rec): (input: unknown) => Promise<never> {
    return async (input) => {
        const bindings = { states: { input, context: {} } };
        const [error, cause] = await Promise.all([evaluateTemplate(state.Error, bindings), evaluateTemplate(state.Cause, bindings)]);
        throw new FailStateError(typeof error === "string" ? error : "States.Runtime", typeof cause === "string" ? cause : "");
    };
}

/** The local handler of a lowered JSONata Pass state: its `Output` (the input when it has none). */
export function jsonataPassHandler(state: Rec): (input: unknown) => Promise<unknown> {
    return async (input) => {
        if (state.Output === undefined) return input;
        const output = await evaluateTemplate(state.Output, { states: { input, context: {} } });
        return output === undefined ? null : output;
    };
}

/** True for a Choice, Fail or Pass state written in JSONata (the kinds this runner lowers). */
export function isJsonataState(state: unknown): state is Rec {
    return isObject(state) && ["Choice", "Fail", "Pass"].includes(state.Type as string) && state.QueryLanguage === "JSONata";
}

/** The local handler of a lowered JSONata state. */
export function jsonataHandler(state: Rec): (input: unknown) => Promise<unknown> {
    return state.Type === "Choice" ? jsonataChoiceHandler(state) : state.Type === "Pass" ? jsonataPassHandler(state) : jsonataFailHandler(state);
}

/** `definition` with every JSONata Choice and Fail state (nested ones included) lowered as described above. */
export function lowerJsonataStates(definition: Json): Json {
    if (!isObject(definition) || !isObject(definition.States)) return definition;
    const states: Rec = {};
    for (const [name, state] of Object.entries(definition.States)) {
        if (!isJsonataState(state)) {
            states[name] = mapNestedMachines(state, lowerJsonataStates);
            continue;
        }
        if (state.Type === "Fail") {
            states[name] = { Type: "Task", Resource: JSONATA_STATE, Comment: state.Comment, End: true };
            continue;
        }
        if (state.Type === "Pass") {
            states[name] = { Type: "Task", Resource: JSONATA_STATE, Comment: state.Comment, ...(state.End ? { End: true } : { Next: state.Next }) };
            continue;
        }
        const route = `${ROUTE_PREFIX}${name}`;
        states[name] = { Type: "Task", Resource: JSONATA_STATE, Comment: state.Comment, Next: route };
        states[route] = {
            Type: "Choice",
            Choices: (state.Choices as Rec[]).map((r, i) => ({ Variable: "$.rule", NumericEquals: i, Next: r.Next })),
            ...(state.Default !== undefined ? { Default: state.Default } : {}),
            OutputPath: "$.output",
        };
    }
    return { ...definition, States: states };
}
