/**
 * The TestState API's request, as the local engine takes it: the same fields and JSON texts as
 * `TestStateCommandInput`, checked the way AWS checks them. Every message below is the one AWS
 * answered with in LocalStack's AWS-recorded TestState snapshots (`tests/conformance/data/test_state.json`).
 */
import type { TestStateCommandInput } from "@aws-sdk/client-sfn";
import { isObject } from "../../deploy/asl/json";
import { INSPECTION_LEVELS, InspectionLevel, Mock } from "./options";
import { State, stateOf } from "./state";

/** The name TestState gives a state sent on its own (AWS's own schema errors and `$states.context.State.Name` say `StateName`). */
export const LONE_STATE_NAME = "StateName";

/** The state types TestState's schema accepts. */
const STATE_TYPES = ["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];

/** A request TestState refuses: `code` is AWS's error code (`ValidationException` or `InvalidDefinition`). */
export class TestStateRefusal extends Error {
    constructor(
        readonly code: "ValidationException" | "InvalidDefinition",
        message: string,
    ) {
        super(message);
    }
}

/** A request, parsed and checked: what `runTestState` runs. */
export interface ParsedTestState {
    /** A whole machine: a state sent alone is wrapped as `LONE_STATE_NAME`. */
    readonly definition: Record<string, unknown>;
    readonly name: string;
    readonly state: State;
    readonly input: unknown;
    readonly inspectionLevel: InspectionLevel;
    readonly revealSecrets: boolean;
    readonly mock?: Mock;
    readonly retrierRetryCount?: number;
    readonly mapIterationFailureCount?: number;
    readonly variables?: Record<string, unknown>;
    /** Shown as `$states.context.Execution.RoleArn` (null without one, as recorded). */
    readonly roleArn?: string;
}

const validation = (message: string) => new TestStateRefusal("ValidationException", message);

function parseJson(text: string | undefined, what: string): unknown {
    if (text === undefined) return {};
    try {
        return JSON.parse(text);
    } catch {
        throw validation(what);
    }
}

function mockOf(mock: TestStateCommandInput["mock"]): Mock | undefined {
    if (!mock) return undefined;
    if (mock.result !== undefined && mock.errorOutput !== undefined)
        throw validation("A test mock should have only one of the following fields: [result, errorOutput].");
    if (mock.errorOutput) return { error: mock.errorOutput.error ?? "", ...(mock.errorOutput.cause !== undefined ? { cause: mock.errorOutput.cause } : {}) };
    return mock.result === undefined ? undefined : { result: parseJson(mock.result, "Mocked result must be valid JSON") };
}

/** Refuses a mock the state cannot take, and a Map or Parallel state without one (only mocked ones run in TestState). */
function checkMock(state: State, name: string, mock: Mock | undefined, failureCount: number | undefined): void {
    const type = String(state.Type);
    if (!mock) {
        // This check comes first: an unmocked Map with a failure count got this answer (recorded).
        if (failureCount !== undefined) throw validation("TestState does not support MapIterationFailureCount when a mock is not specified.");
        if (type === "Map" || type === "Parallel")
            throw new TestStateRefusal(
                "InvalidDefinition",
                "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]",
            );
        return;
    }
    // Recorded for Pass, Fail and Succeed; UNKNOWN for Choice and Wait, refused alike (the safe side).
    if (!["Task", "Map", "Parallel"].includes(type)) throw validation(`State type '${type}' is not supported when a mock is specified`);
    if (!("result" in mock)) return;
    if (type === "Parallel") {
        const branches = Array.isArray(state.Branches) ? state.Branches.length : 0;
        if (branches === 0)
            throw new TestStateRefusal(
                "InvalidDefinition",
                `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/${name}/Branches'`,
            );
        if (!Array.isArray(mock.result)) throw validation("Mocked result must be an array.");
        if (mock.result.length !== branches) throw validation("Mocked result must contain the same number of items as number of Parallel branches.");
    }
    if (type === "Map" && "ResultWriter" in state && !isObject(mock.result)) throw validation("Mocked result must be a JSON object.");
    if (type === "Map" && !("ResultWriter" in state)) {
        if (!Array.isArray(mock.result)) throw validation("Mocked result must be an array.");
        if ((failureCount ?? 0) > mock.result.length)
            throw validation("Map iteration failure count must be less than or equal to the number of Map iterations");
    }
}

/** `request` parsed and checked as TestState does; throws `TestStateRefusal` where AWS refuses. */
export function parseTestState(request: TestStateCommandInput): ParsedTestState {
    const parsed = parseJson(request.definition, "Definition must be valid JSON");
    if (!isObject(parsed)) throw validation("Definition must be a JSON object");
    const lone = request.stateName === undefined && !isObject(parsed.States);
    const definition = lone ? { StartAt: LONE_STATE_NAME, States: { [LONE_STATE_NAME]: parsed } } : parsed;
    const name = request.stateName ?? (lone ? LONE_STATE_NAME : String(definition.StartAt));
    let state: State;
    try {
        state = stateOf(definition, name);
    } catch {
        throw validation("State not found in definition");
    }
    if (!STATE_TYPES.includes(String(state.Type)))
        throw new TestStateRefusal(
            "InvalidDefinition",
            `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [${STATE_TYPES.join(", ")}] at /States/${name}/Type'`,
        );
    const mock = mockOf(request.mock);
    if (mock && request.revealSecrets) throw validation("TestState does not support RevealSecrets when a mock is specified.");
    const failureCount = request.stateConfiguration?.mapIterationFailureCount;
    checkMock(state, name, mock, failureCount);
    const level = request.inspectionLevel ?? "INFO";
    if (!(INSPECTION_LEVELS as readonly string[]).includes(level)) throw validation(`Unknown inspection level '${level}'`);
    const variables = request.variables === undefined ? undefined : parseJson(request.variables, "Variables must be valid JSON");
    return {
        definition,
        name,
        state,
        input: parseJson(request.input, "Input must be valid JSON"),
        inspectionLevel: level as InspectionLevel,
        revealSecrets: request.revealSecrets ?? false,
        ...(mock ? { mock } : {}),
        ...(request.stateConfiguration?.retrierRetryCount !== undefined ? { retrierRetryCount: request.stateConfiguration.retrierRetryCount } : {}),
        ...(failureCount !== undefined ? { mapIterationFailureCount: failureCount } : {}),
        ...(isObject(variables) && Object.keys(variables).length > 0 ? { variables } : {}),
        ...(request.roleArn ? { roleArn: request.roleArn } : {}),
    };
}
