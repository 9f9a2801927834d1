/**
 * TestState's `inspectionData` (DEBUG and TRACE) for one state, with the fields AWS's recorded
 * answers have for each kind of state: a JSONPath state shows the data after each processing step
 * (computed by the same engine, with one-state Pass machines, so they follow its JSONPath rules); a
 * JSONata state shows its input, a Task's `afterArguments` and `result`, a Map's evaluated
 * `maxConcurrency` and tolerances; `variables` when the request set some.
 */
import { randomUUID } from "crypto";
import jsonata from "jsonata";
import { isObject } from "../../deploy/asl/json";
import { LocalRunner, RunnerOptions } from "../local/runner";
import { ParsedTestState } from "./api";
import { TaskRecorder } from "./record";
import { State } from "./state";

const TEMPLATE = /^\{%([\s\S]*)%\}$/;
/** The inspection fields that are numbers, not JSON texts. */
const MAP_SETTINGS = ["maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage"];
const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/** `value` with every `{% %}` string evaluated against `$states` = `states` (JSONata only; JSONPath values are literal). */
export async function evaluate(value: unknown, states: Record<string, unknown>, isJsonata: boolean): Promise<unknown> {
    if (!isJsonata) return value;
    if (typeof value === "string") {
        const source = TEMPLATE.exec(value)?.[1];
        return source === undefined ? value : jsonata(source).evaluate({}, { states });
    }
    if (Array.isArray(value)) return Promise.all(value.map((v) => evaluate(v, states, true)));
    if (isObject(value)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await evaluate(v, states, true)] as const));
        return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    }
    return value;
}

/**
 * `$states.context` as TestState shows it (recorded): an Express execution of a temporary state
 * machine, the state named `StateName`, `RetryCount` only for states that retry. The ARNs' names
 * and times are fresh per call, as on AWS.
 */
export function contextOf(test: ParsedTestState, region = "us-east-1", account = "123456789012"): Record<string, unknown> {
    const machine = `TestState-${randomUUID()}`;
    const execution = randomUUID();
    const now = new Date().toISOString();
    const retries = ["Task", "Map", "Parallel"].includes(String(test.state.Type)) ? { RetryCount: test.retrierRetryCount ?? 0 } : {};
    return {
        Execution: {
            Id: `arn:aws:states:${region}:${account}:express:${machine}:${execution}`,
            Input: test.input,
            Name: execution,
            RoleArn: test.roleArn ?? null,
            StartTime: now,
        },
        StateMachine: { Id: `arn:aws:states:${region}:${account}:stateMachine:${machine}`, Name: machine },
        State: { Name: "StateName", EnteredTime: now, ...retries },
    };
}

/** Runs `fields` as a Pass state on `input`; undefined when that fails. */
async function pass(fields: Record<string, unknown>, input: unknown, options: RunnerOptions): Promise<unknown> {
    const run = await new LocalRunner({ StartAt: "Step", States: { Step: { Type: "Pass", ...fields, End: true } } }, options).run(input);
    return run.status === "SUCCEEDED" ? run.output : undefined;
}

/** The JSONPath steps after the result is known: `ResultSelector` (Task, Map, Parallel) and `ResultPath`. */
async function resultSteps(state: State, result: unknown, input: unknown, options: RunnerOptions): Promise<Record<string, unknown>> {
    const selected = "ResultSelector" in state ? await pass({ Parameters: state.ResultSelector }, result, options) : result;
    const afterResultPath = "ResultPath" in state ? await pass({ Result: selected, ResultPath: state.ResultPath }, input, options) : selected;
    return { afterResultSelector: selected, afterResultPath };
}

async function jsonPathData(test: ParsedTestState, recorder: TaskRecorder, options: RunnerOptions): Promise<Record<string, unknown>> {
    const { state, input } = test;
    const type = String(state.Type);
    if (type === "Map" || type === "Parallel") {
        // Recorded for a mocked JSONPath Parallel: no afterInputPath, no result.
        return recorder.result === undefined ? {} : resultSteps(state, recorder.result, input, options);
    }
    const afterInputPath = "InputPath" in state ? await pass({ InputPath: state.InputPath }, input, options) : input;
    if (type === "Task") {
        if (recorder.result === undefined) return { afterInputPath, afterParameters: recorder.afterParameters };
        const steps = await resultSteps(state, recorder.result, input, options);
        return { afterInputPath, afterParameters: recorder.afterParameters, result: recorder.result, ...steps };
    }
    if (type !== "Pass") return { afterInputPath };
    // A Pass with `Result` shows that result and skips the input steps (recorded).
    if ("Result" in state) return { result: state.Result, ...(await resultSteps({ ResultPath: state.ResultPath }, state.Result, input, options)) };
    const afterParameters = "Parameters" in state ? await pass({ Parameters: state.Parameters }, afterInputPath, options) : afterInputPath;
    const afterResultPath = "ResultPath" in state ? await pass({ Result: afterParameters, ResultPath: state.ResultPath }, input, options) : afterParameters;
    return { afterInputPath, afterParameters, afterResultSelector: afterParameters, afterResultPath };
}

async function jsonataData(test: ParsedTestState, recorder: TaskRecorder): Promise<Record<string, unknown>> {
    const type = String(test.state.Type);
    if (type === "Task") return { afterArguments: recorder.afterParameters, result: recorder.result };
    if (type !== "Map") return {};
    const states = { input: test.input, context: contextOf(test) };
    const number = async (field: string) => {
        const value = await evaluate(test.state[field], states, true);
        return typeof value === "number" ? value : undefined;
    };
    return {
        maxConcurrency: (await number("MaxConcurrency")) ?? 0,
        toleratedFailureCount: await number("ToleratedFailureCount"),
        toleratedFailurePercentage: await number("ToleratedFailurePercentage"),
    };
}

/** The inspection data of a finished run; JSON values are JSON texts, Map settings numbers, as in TestState's answer. */
export async function inspect(test: ParsedTestState, recorder: TaskRecorder, options: RunnerOptions, isJsonata: boolean): Promise<Record<string, unknown>> {
    const data = isJsonata ? await jsonataData(test, recorder) : await jsonPathData(test, recorder, options);
    const all: Record<string, unknown> = { input: test.input, ...data, ...(test.variables ? { variables: test.variables } : {}) };
    return Object.fromEntries(Object.entries(all).flatMap(([k, v]) => (v === undefined ? [] : [[k, MAP_SETTINGS.includes(k) ? v : json(v)]])));
}
