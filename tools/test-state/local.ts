/**
 * TestState offline: one state of a stack's order saga or collection (nested states included), run
 * by `run.ts` on the local engine against the stack's sandbox APIs, answered in the shape of AWS's
 * `TestStateOutput`; TRACE adds an HTTP Task's request and response, and secrets are masked.
 */
import type { InspectionData, TestStateOutput } from "@aws-sdk/client-sfn";
import { ConnectionSpec } from "../emulator/connections";
import { RouteTable } from "../emulator/routes";
import { maskUrl, secretValues } from "../emulator/redact";
import { buildRequest, connectionArnOf } from "../emulator/request";
import { startLocalCollectStack } from "../local/collect-stack";
import { LocalObjectStore } from "../emulator/s3";
import { startLocalOrderStack } from "../local/order-stack";
import { RunnerOptions } from "../local/runner";
import { SandboxExchange } from "../sandbox/http-server";
import { UsageError } from "../commands/command-line";
import { parseTestState, TestStateRefusal } from "./api";
import { testStateInput } from "./aws";
import { maskDeep, traceRequest, traceResponse } from "./format";
import { TestStateRequest } from "./options";
import { RecordingEmulator, RecordingOutbox, RecordingStore, TaskRecorder } from "./record";
import { runParsed } from "./run";
import { checkOptionsFit, stateOf } from "./state";

/** What test-state needs of a local workflow stack. */
interface LocalWorkflowStack {
    readonly definition: unknown;
    readonly region: string;
    readonly connections: ReadonlyMap<string, ConnectionSpec>;
    readonly connectionArns: Readonly<Record<string, string>>;
    /** The stack's real URLs → its sandbox (the definition calls the real ones, as deployed). */
    readonly routes: RouteTable;
    readonly store?: LocalObjectStore;
    close(): Promise<void>;
}

/** The stack's sandbox and definition of `request.workflow`. */
function startStack(request: TestStateRequest, rootDir: string, onExchange: (e: SandboxExchange) => void): Promise<LocalWorkflowStack> {
    const options = { stack: request.stack, rootDir, onExchange };
    return request.workflow === "collect" ? startLocalCollectStack(options) : startLocalOrderStack(options);
}

/** The request as TestState would get it; what TestState refuses is bad usage here. */
function parsed(definition: unknown, request: TestStateRequest) {
    try {
        return parseTestState(testStateInput(JSON.stringify(definition), "", request));
    } catch (e) {
        if (e instanceof TestStateRefusal) throw new UsageError(`TestState would refuse this (${e.code}): ${e.message}`);
        throw e;
    }
}

/** Runs `request.state` of the stack's workflow locally; the sandbox runs only for the call. */
export async function testStateLocally(request: TestStateRequest, rootDir: string): Promise<TestStateOutput> {
    const exchanges: SandboxExchange[] = [];
    const stack = await startStack(request, rootDir, (e) => exchanges.push(e));
    try {
        checkOptionsFit(stateOf(stack.definition, request.state), request.state, request);
        const test = parsed(stack.definition, request);
        const recorder = new TaskRecorder(test.mock);
        const options: RunnerOptions = {
            http: new RecordingEmulator({ connections: stack.connections, region: stack.region, routes: stack.routes }, recorder),
            outbox: new RecordingOutbox(recorder),
            ...(stack.store ? { store: new RecordingStore(stack.store, recorder) } : {}),
        };
        const response = await runParsed(test, options, recorder);
        if (request.inspectionLevel === "TRACE" && response.inspectionData) {
            const { errorDetails, ...data } = response.inspectionData;
            response.inspectionData = { ...data, ...trace(stack, recorder, exchanges, request.revealSecrets), ...(errorDetails ? { errorDetails } : {}) };
        }
        return request.revealSecrets ? response : maskDeep(response, secretsOf(stack, exchanges));
    } finally {
        await stack.close();
    }
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
