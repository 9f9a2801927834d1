/**
 * One JSONata state's expressions, evaluated outside an execution: the workflow tests check a
 * Choice's rules and outputs, a Fail's error and a template's value this way. The engine
 * (`local/engine/`) runs JSONata states natively; this module only reuses its evaluator, so both
 * agree (jsonata 2.0.6, Step Functions' functions, `States.QueryEvaluationError` on failure).
 */
import { evaluateTemplate as evaluateField, evaluateTyped } from "../engine/jsonata-eval";
import { TaskError } from "./errors";

type Rec = Record<string, unknown>;

const OUTSIDE = { state: "(test)", enteredId: 0 };

/** Evaluates a JSONata-state field: `{% %}` strings anywhere in `value`, everything else literal; `bindings` holds `states` and any variables. */
export function evaluateTemplate(value: unknown, bindings: Rec): Promise<unknown> {
    return evaluateField(value, bindings, { ...OUTSIDE, field: "Output" });
}

/** The index of the first true rule (-1 for none) and the output the state passes on. */
interface ChoiceOutcome {
    readonly rule: number;
    readonly output: unknown;
}

/**
 * A JSONata Choice state's decision. A matching rule applies its own `Output` (none: the state input
 * passes on); the state-level `Output` applies only when no rule matches and `Default` is taken
 * (docs/aws-facts.md §14).
 */
export function jsonataChoiceHandler(state: Rec): (input: unknown) => Promise<ChoiceOutcome> {
    const rules = state.Choices as Rec[];
    return async (input) => {
        const bindings = { states: { input, context: {} } };
        let chosen = -1;
        for (let i = 0; i < rules.length && chosen < 0; i++)
            if (await evaluateTyped(rules[i].Condition, "boolean", bindings, { ...OUTSIDE, field: "Condition" })) chosen = i;
        const template = chosen >= 0 ? rules[chosen].Output : state.Output;
        const output = template === undefined ? input : await evaluateTemplate(template, bindings);
        return { rule: chosen, output };
    };
}

/** A JSONata Fail state's error: rejects with a TaskError named by `Error`, with `Cause` as its message. */
export function jsonataFailHandler(state: Rec): (input: unknown) => Promise<never> {
    return async (input) => {
        const bindings = { states: { input, context: {} } };
        const error = state.Error === undefined ? "" : await evaluateTyped(state.Error, "string", bindings, { ...OUTSIDE, field: "Error" });
        const cause = state.Cause === undefined ? "" : await evaluateTyped(state.Cause, "string", bindings, { ...OUTSIDE, field: "Cause" });
        throw new TaskError(error as string, cause as string);
    };
}
