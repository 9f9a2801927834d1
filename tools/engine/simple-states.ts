/**
 * Pass, Choice, Wait, Succeed and Fail (AWS state pages of the same names). None of them has Retry or
 * Catch, so their errors fail the enclosing branch or the execution.
 * Choice: the first matching rule wins; a matching rule's own `Output`/`Assign` apply (no `Output`:
 * the input passes on), the state-level ones ONLY when `Default` is taken (AWS Choice page: "If a
 * Choice Rule matches, Step Functions evaluates only that rule's Assign field and does not evaluate
 * the top-level Assign field"; recorded on AWS: LocalStack `outputdecl/test_output.py::
 * test_output_in_choice`); no match and no Default → `States.NoChoiceMatched`.
 */
import { matchesRule } from "./choice-rules";
import { Outcome, StateEnv, effectiveInput, finishWithResult, finishWithoutResult, pathScope, statesOf } from "./env";
import { bindingsOf, evaluateTyped, stateCause } from "./jsonata-eval";
import { resolvePayload, runtimeFailure, selectPath } from "./payload";
import { sleep } from "./retry";
import { checkPayloadSize } from "./size";
import { EngineError, readPath } from "./scope";
import { Rec } from "./types";
import { isIntrinsic, evaluateIntrinsic } from "./intrinsics";

function nextOf(env: StateEnv): string | undefined {
    return env.def.End === true ? undefined : (env.def.Next as string);
}

/** Pass: JSONPath `Result` or `Parameters` (else the effective input) as the result; JSONata `Output` (default the input). */
export async function runPass(env: StateEnv): Promise<Outcome> {
    if (env.ql === "JSONata") return { ...(await finishWithoutResult(env, env.input)), next: nextOf(env) };
    const effective = effectiveInput(env);
    const { def } = env;
    const result =
        def.Result !== undefined ? def.Result : def.Parameters !== undefined ? resolvePayload(def.Parameters, pathScope(env, effective), env.ref) : effective;
    if (result !== effective) checkPayloadSize(result, env.ref.state);
    return { ...(await finishWithResult(env, result, false)), next: nextOf(env) };
}

/** Choice: see the module comment. */
export async function runChoice(env: StateEnv): Promise<Outcome> {
    const rules = env.def.Choices as Rec[];
    const jsonata = env.ql === "JSONata";
    const effective = jsonata ? env.input : effectiveInput(env);
    const bindings = jsonata ? bindingsOf(env.variables, statesOf(env)) : undefined;
    for (let i = 0; i < rules.length; i++) {
        const rule = rules[i];
        const matched = bindings
            ? await evaluateTyped(rule.Condition, "boolean", bindings, { ...env.ref, field: "Condition" })
            : matchesRule(rule, pathScope(env, effective));
        if (matched) return { ...(await finishWithoutResult(env, effective, rule)), next: rule.Next as string };
    }
    if (env.def.Default === undefined)
        throw new EngineError(
            "States.NoChoiceMatched",
            stateCause(env.ref, "Failed to transition out of the state. No Choice rule matched and there is no Default."),
        );
    return { ...(await finishWithoutResult(env, effective)), next: env.def.Default as string };
}

/** The seconds a JSONPath `SecondsPath` selects, checked with AWS's recorded causes (LocalStack `base/test_wait.py::test_base_wait_seconds_path`: 1.5 and -1.5 "cannot be parsed as a long value", -1 "references a negative value"). */
function secondsAt(env: StateEnv, path: unknown, effective: unknown): number {
    const value = selectPath(path, effective, pathScope(env, effective), env.ref);
    const shown = `${String(path)} == ${typeof value === "string" ? value : JSON.stringify(value)}`;
    // UNKNOWN: the cause for a non-number (a string, an object); we use the "long value" wording.
    if (!Number.isInteger(value)) throw runtimeFailure(env.ref, `The SecondsPath parameter cannot be parsed as a long value: ${shown}`);
    if ((value as number) < 0) throw runtimeFailure(env.ref, `The SecondsPath parameter references a negative value: ${shown}`);
    return value as number;
}

/** Wait: Seconds / Timestamp (JSONata expressions allowed), SecondsPath / TimestampPath; the run's `waitMs` (or `waitOverrideMs`) replaces the real time. */
export async function runWait(env: StateEnv): Promise<Outcome> {
    const { def } = env;
    const effective = env.ql === "JSONata" ? env.input : effectiveInput(env);
    let seconds: number;
    if (env.ql === "JSONata") {
        const bindings = bindingsOf(env.variables, statesOf(env));
        if (def.Seconds !== undefined) seconds = (await evaluateTyped(def.Seconds, "number", bindings, { ...env.ref, field: "Seconds" })) as number;
        else seconds = (Date.parse(String(await evaluateTyped(def.Timestamp, "string", bindings, { ...env.ref, field: "Timestamp" }))) - Date.now()) / 1000;
    } else if (def.SecondsPath !== undefined) seconds = secondsAt(env, def.SecondsPath, effective);
    else if (def.Seconds !== undefined) seconds = Number(def.Seconds);
    else {
        const timestamp =
            def.Timestamp ?? (def.TimestampPath !== undefined ? selectPath(def.TimestampPath, effective, pathScope(env, effective), env.ref) : undefined);
        if (Number.isNaN(Date.parse(String(timestamp))))
            throw runtimeFailure(env.ref, `The Wait state's timestamp ${JSON.stringify(timestamp)} is not an ISO-8601 timestamp.`);
        seconds = (Date.parse(String(timestamp)) - Date.now()) / 1000;
    }
    const { waitMs, waitOverrideMs } = env.run.options;
    await sleep(waitMs ? waitMs(Math.max(0, seconds)) : (waitOverrideMs ?? Math.max(0, seconds) * 1000));
    return { ...(await finishWithoutResult(env, effective)), next: nextOf(env) };
}

/** Succeed: the (filtered) input ends the execution or branch. */
export async function runSucceed(env: StateEnv): Promise<Outcome> {
    const effective = env.ql === "JSONata" ? env.input : effectiveInput(env);
    return finishWithoutResult(env, effective);
}

/** A JSONPath Fail field: literal, or ErrorPath/CausePath (a path or an intrinsic). */
function failField(env: StateEnv, literal: unknown, path: unknown, field: string): string | undefined {
    if (literal !== undefined) return String(literal);
    if (typeof path !== "string") return undefined;
    const scope = pathScope(env, env.input);
    if (isIntrinsic(path)) return String(evaluateIntrinsic(path, scope));
    try {
        return String(readPath(path, scope));
    } catch {
        throw runtimeFailure(
            env.ref,
            `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(env.input)}'`,
        );
    }
}

/** Fail: ends the execution (or branch) with Error and Cause; JSONata expressions allowed in both. */
export async function runFail(env: StateEnv): Promise<never> {
    const { def } = env;
    let error: unknown;
    let cause: unknown;
    if (env.ql === "JSONata") {
        const bindings = bindingsOf(env.variables, statesOf(env));
        error = def.Error === undefined ? undefined : await evaluateTyped(def.Error, "string", bindings, { ...env.ref, field: "Error" });
        cause = def.Cause === undefined ? undefined : await evaluateTyped(def.Cause, "string", bindings, { ...env.ref, field: "Cause" });
    } else {
        error = failField(env, def.Error, def.ErrorPath, "ErrorPath");
        cause = failField(env, def.Cause, def.CausePath, "CausePath");
    }
    throw new FailStateError(error as string | undefined, cause as string | undefined);
}

/** The error a Fail state raises: `Error`/`Cause` may be absent (AWS then records none). */
export class FailStateError extends EngineError {
    constructor(
        readonly error: string | undefined,
        readonly failCause: string | undefined,
    ) {
        super(error ?? "", failCause ?? "");
    }
}
