/**
 * TestState offline: one state of a stack's order saga or collection (nested states included), run
 * by the local runner against the stack's sandbox APIs (`isolate.ts` stops the execution after the state), answered in the shape
 * of AWS's `TestStateOutput`. The data-flow steps DEBUG shows (`afterInputPath`,
 * `afterResultSelector`, `afterResultPath`) are computed by the same engine, with one-state Pass
 * machines, so they follow its JSONPath rules exactly.
 */
import type { InspectionData, TestStateOutput } from "@aws-sdk/client-sfn";
import { ConnectionSpec } from "../emulator/connections";
import { maskUrl, secretValues } from "../emulator/redact";
import { buildRequest, connectionArnOf } from "../emulator/request";
import { startLocalCollectStack } from "../collect-stack";
import { LocalObjectStore } from "../emulator/s3";
import { startLocalOrderStack } from "../order-stack";
import { LocalRunner, RunnerOptions } from "../runner";
import { SandboxExchange } from "../sandbox/http-server";
import { maskDeep, traceRequest, traceResponse } from "./format";
import { exitOf, isolateState } from "./isolate";
import { TestStateRequest } from "./options";
import { RecordingEmulator, RecordingOutbox, RecordingStore, TaskRecorder } from "./record";
import { checkOptionsFit, retryFor, State, stateOf, usesJsonata } from "./state";

type Outcome = Pick<TestStateOutput, "status" | "nextState" | "error" | "cause"> & { output?: unknown; errorDetails?: InspectionData["errorDetails"] };

/** What test-state needs of a local workflow stack. */
interface LocalWorkflowStack {
    readonly definition: unknown;
    readonly region: string;
    readonly connections: ReadonlyMap<string, ConnectionSpec>;
    readonly connectionArns: Readonly<Record<string, string>>;
    readonly store?: LocalObjectStore;
    close(): Promise<void>;
}

/** The stack's sandbox and definition of `request.workflow`. */
function startStack(request: TestStateRequest, rootDir: string, onExchange: (e: SandboxExchange) => void): Promise<LocalWorkflowStack> {
    const options = { stack: request.stack, rootDir, onExchange };
    return request.workflow === "collect" ? startLocalCollectStack(options) : startLocalOrderStack(options);
}

/** Runs `request.state` of the stack's workflow locally; the sandbox runs only for the call. */
export async function testStateLocally(request: TestStateRequest, rootDir: string): Promise<TestStateOutput> {
    const exchanges: SandboxExchange[] = [];
    const stack = await startStack(request, rootDir, (e) => exchanges.push(e));
    try {
        const definition = stack.definition as unknown as Record<string, unknown>;
        const state = stateOf(definition, request.state);
        checkOptionsFit(state, request.state, request);
        const recorder = new TaskRecorder(request.mock);
        const options: RunnerOptions = {
            http: new RecordingEmulator({ connections: stack.connections, region: stack.region }, recorder),
            outbox: new RecordingOutbox(recorder),
            ...(stack.store ? { store: new RecordingStore(stack.store, recorder) } : {}),
        };
        const run = await new LocalRunner(isolateState(definition, request.state, state), options).run(request.input);
        const outcome = await decide(state, run, request, options);
        const { output, errorDetails, ...rest } = outcome;
        const response: TestStateOutput = { ...rest, ...(output !== undefined ? { output: JSON.stringify(output) } : {}) };
        if (request.inspectionLevel !== "INFO") {
            const inspection = await inspect(definition, state, request, recorder, options);
            if (request.inspectionLevel === "TRACE") Object.assign(inspection, trace(stack, recorder, exchanges, request.revealSecrets));
            response.inspectionData = { ...inspection, ...(errorDetails ? { errorDetails } : {}) };
        }
        return request.revealSecrets ? response : maskDeep(response, secretsOf(stack, exchanges));
    } finally {
        await stack.close();
    }
}

/** Runs `fields` as a Pass state on `input`; undefined when that fails. */
async function pass(fields: Record<string, unknown>, input: unknown, options: RunnerOptions): Promise<unknown> {
    const run = await new LocalRunner({ StartAt: "Step", States: { Step: { Type: "Pass", ...fields, End: true } } }, options).run(input);
    return run.status === "SUCCEEDED" ? run.output : undefined;
}

async function decide(state: State, run: Awaited<ReturnType<LocalRunner["run"]>>, request: TestStateRequest, options: RunnerOptions): Promise<Outcome> {
    const exit = exitOf(run.output);
    if (run.status === "SUCCEEDED" && exit?.kind !== "catch")
        return { status: "SUCCEEDED", ...(exit ? { nextState: exit.target, output: exit.output } : { output: run.output }) };
    const failure = exit ? (exit.output as { Error: string; Cause: string }) : { Error: run.error ?? "States.Runtime", Cause: run.cause ?? "" };
    const failed = { error: failure.Error, cause: failure.Cause };
    const retry = retryFor(state, failure.Error, request.retryCount ?? 0);
    if (retry) return { status: "RETRIABLE", ...failed, errorDetails: retry };
    if (exit?.kind !== "catch") return { status: "FAILED", ...failed };
    const catcher = (state.Catch as Record<string, unknown>[])[exit.index];
    const resultPath = "ResultPath" in catcher ? { ResultPath: catcher.ResultPath } : {};
    const output = await pass({ Result: failure, ...resultPath }, request.input, options);
    return { status: "CAUGHT_ERROR", nextState: String(catcher.Next), output, ...failed, errorDetails: { catchIndex: exit.index } };
}

const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

/** DEBUG's data flow; a JSONata state shows only its input (the JSONPath fields are not populated there). */
async function inspect(definition: unknown, state: State, request: TestStateRequest, recorder: TaskRecorder, options: RunnerOptions): Promise<InspectionData> {
    const input = request.input;
    if (usesJsonata(definition, state)) return { input: json(input) };
    const afterInputPath = "InputPath" in state ? await pass({ InputPath: state.InputPath }, input, options) : input;
    const data: Record<string, unknown> = { input, afterInputPath };
    if (state.Type !== "Task") {
        if ("Parameters" in state) data.afterParameters = await pass({ Parameters: state.Parameters }, afterInputPath, options);
    } else {
        data.afterParameters = recorder.afterParameters;
        if (recorder.result !== undefined) {
            data.result = recorder.result;
            const selected = "ResultSelector" in state ? await pass({ Parameters: state.ResultSelector }, recorder.result, options) : recorder.result;
            data.afterResultSelector = selected;
            data.afterResultPath = "ResultPath" in state ? await pass({ Result: selected, ResultPath: state.ResultPath }, input, options) : selected;
        }
    }
    return Object.fromEntries(Object.entries(data).flatMap(([k, v]) => (v === undefined ? [] : [[k, json(v)]])));
}

const authHeaderOf = (connection: ConnectionSpec): string =>
    connection.AuthorizationType === "API_KEY" ? connection.AuthParameters.ApiKeyAuthParameters!.ApiKeyName : "Authorization";

const headerValue = (exchange: SandboxExchange, name: string): string | undefined => {
    const value = exchange.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
};

/** TRACE's request and response, when the request reached the sandbox. */
function trace(stack: LocalWorkflowStack, recorder: TaskRecorder, exchanges: readonly SandboxExchange[], reveal: boolean): InspectionData {
    const params = recorder.afterParameters as Record<string, unknown>;
    const exchange = exchanges[exchanges.length - 1];
    if (!exchange || typeof params !== "object" || params === null) return {};
    const connection = stack.connections.get(connectionArnOf(params))!;
    const built = buildRequest(params, connection, stack.region);
    const url = reveal ? built.url : maskUrl(built.url, connection, []);
    const name = authHeaderOf(connection);
    const value = headerValue(exchange, name);
    const taskHeaders = typeof params.Headers === "object" && params.Headers !== null ? Object.keys(params.Headers).length : 0;
    const request = traceRequest({ ...built, url }, taskHeaders, value === undefined ? undefined : [name, value]);
    return { request, ...(recorder.httpResult ? { response: traceResponse(recorder.httpResult, built.url) } : {}) };
}

/** Every secret of the stack's connections, with the credentials the sandbox saw (OAuth tokens), longest first. */
function secretsOf(stack: LocalWorkflowStack, exchanges: readonly SandboxExchange[]): string[] {
    const values = Object.entries(stack.connectionArns).flatMap(([api, arn]) => {
        const connection = stack.connections.get(arn)!;
        const seen = exchanges.filter((e) => e.api === api).map((e) => headerValue(e, authHeaderOf(connection)));
        return secretValues(
            connection,
            seen.filter((v): v is string => v !== undefined),
        );
    });
    return [...new Set(values)].sort((a, b) => b.length - a.length);
}
