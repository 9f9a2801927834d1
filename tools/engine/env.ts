/**
 * What one state visit sees, and the two ways a state ends, one per query language (AWS "Passing data
 * between states with variables"; "Transforming data with JSONata"). Every expression of a state
 * (Output, OutputPath, Assign) reads the variables as they were BEFORE the state: the assignments are
 * returned and the machine commits them after the state (recorded on AWS: LocalStack
 * `assign/test_assign_reference_variables.py::test_state_assign_evaluation_order`, where `OutputPath:
 * "$answer"` yields the old value while `Assign` sets a new one).
 */
import { bindingsOf, evaluateTemplate, StatesBinding } from "./jsonata-eval";
import { applyResultPath, resolvePayload, selectPath, StateRef } from "./payload";
import { Run } from "./run";
import { PathScope } from "./scope";
import { QueryLanguage, Rec } from "./types";

/** Raised by a state of a branch or iteration whose sibling already failed (AWS stops the others). */
export class Stopped {
    constructor(readonly parent?: Stopped) {}
    stopped = false;
    /** True when this or an enclosing Parallel/Map has stopped. */
    get isStopped(): boolean {
        return this.stopped || (this.parent?.isStopped ?? false);
    }
}

/** One state visit. */
export interface StateEnv {
    readonly run: Run;
    /** The state's definition. */
    readonly def: Rec;
    /** The state's name and the id of its entered event (for causes). */
    readonly ref: StateRef;
    readonly ql: QueryLanguage;
    /** The raw state input. */
    readonly input: unknown;
    /** The variables in scope (read-only during the state). */
    readonly variables: Rec;
    /** The context object (`$$`, `$states.context`). */
    readonly context: Rec;
    readonly signal: Stopped;
}

/** How a state ended: its output, the next state (none at the end), and the variables it assigns. */
export interface Outcome {
    readonly output: unknown;
    readonly next?: string;
    readonly assigned?: Rec;
    /** The error a catcher handled (for traces). */
    readonly caught?: string;
}

/** State types whose context shows `RetryCount`: the ones that can retry (recorded on AWS: a Pass state's `$states.context.State` has only Name and EnteredTime, LocalStack `outputdecl` BASE_EXPR; Task and Map states' have `RetryCount: 0`, `test_state` snapshots). */
const RETRYING = new Set(["Task", "Map", "Parallel"]);

/** The context object of a state visit (`run.stateName` replaces the state's name where the caller presents another, as TestState does). */
export function contextOf(run: Run, name: string, type: unknown, retryCount: number, mapItem?: Rec): Rec {
    const state: Rec = { Name: run.execution.StateName ?? name, EnteredTime: new Date().toISOString() };
    if (RETRYING.has(type as string)) state.RetryCount = retryCount;
    const context: Rec = { Execution: run.execution.Execution, StateMachine: run.execution.StateMachine, State: state };
    if (mapItem) context.Map = { Item: mapItem };
    return context;
}

/** A JSONPath scope over `input` in `env`. */
export function pathScope(env: StateEnv, input: unknown): PathScope {
    return { input, context: env.context, variables: env.variables };
}

/** The `$states` binding of `env`. */
export function statesOf(env: StateEnv, extra?: { result?: unknown; errorOutput?: unknown }): StatesBinding {
    return extra ? { input: env.input, context: env.context, ...extra } : { input: env.input, context: env.context };
}

/** JSONPath InputPath of `env`. */
export function effectiveInput(env: StateEnv): unknown {
    return selectPath(env.def.InputPath, env.input, pathScope(env, env.input), env.ref);
}

/** JSONPath `Assign` evaluated with `$` = `base`; undefined when the state has none. */
export function assignJsonPath(env: StateEnv, assign: unknown, base: unknown): Rec | undefined {
    return assign === undefined ? undefined : (resolvePayload(assign, pathScope(env, base), env.ref) as Rec);
}

/** JSONata `Assign` evaluated with `$states` (or the state's `bindings` of them, when already built); undefined when there is none. */
export async function assignJsonata(env: StateEnv, assign: unknown, states: StatesBinding, bindings?: Rec): Promise<Rec | undefined> {
    if (assign === undefined) return undefined;
    return (await evaluateTemplate(assign, bindings ?? bindingsOf(env.variables, states), { ...env.ref, field: "Assign" })) as Rec;
}

/**
 * Ends a state that produced `result` (Task, Map, Parallel, Pass): JSONPath ResultSelector →
 * Assign (`$` = the selected result) → ResultPath → OutputPath; JSONata Assign and Output
 * (default `$states.result`), both with `$states.result`.
 */
export async function finishWithResult(env: StateEnv, result: unknown, selector = true): Promise<{ output: unknown; assigned?: Rec }> {
    const state = env.def;
    if (env.ql === "JSONata") {
        // Assign and Output read the same `$states` and variables: their bindings are built once.
        const states = statesOf(env, { result });
        const bindings = bindingsOf(env.variables, states);
        const assigned = await assignJsonata(env, state.Assign, states, bindings);
        const output = state.Output === undefined ? result : await evaluateTemplate(state.Output, bindings, { ...env.ref, field: "Output" });
        return { output, assigned };
    }
    const selected = selector && state.ResultSelector !== undefined ? resolvePayload(state.ResultSelector, pathScope(env, result), env.ref) : result;
    const assigned = assignJsonPath(env, state.Assign, selected);
    const withResult = applyResultPath(state.ResultPath, env.input, selected, env.ref);
    return { output: selectPath(state.OutputPath, withResult, pathScope(env, withResult), env.ref), assigned };
}

/** Ends a state without a result (Choice, Wait, Succeed) with `fields`' Output/Assign (a Choice rule's, or the state's): JSONPath OutputPath over the effective input; JSONata Output (default the input). */
export async function finishWithoutResult(env: StateEnv, effective: unknown, fields: Rec = env.def): Promise<{ output: unknown; assigned?: Rec }> {
    const output = fields.Output;
    const assign = fields.Assign;
    if (env.ql === "JSONata") {
        const states = statesOf(env);
        const bindings = bindingsOf(env.variables, states);
        const assigned = await assignJsonata(env, assign, states, bindings);
        const out = output === undefined ? env.input : await evaluateTemplate(output, bindings, { ...env.ref, field: "Output" });
        return { output: out, assigned };
    }
    const assigned = assignJsonPath(env, assign, effective);
    return { output: selectPath(env.def.OutputPath, effective, pathScope(env, effective), env.ref), assigned };
}
