/**
 * TestState's run of one state, on the local engine: the request (`api.ts`) is isolated
 * (`isolate.ts`), run by `LocalRunner`, and answered with TestState's status, `nextState`,
 * output, error and cause; `inspect.ts` adds the inspection data. The caller supplies the runner's
 * services (HTTP emulator, outbox, store) recording into `recorder`, so a mock replaces the call.
 */
import type { TestStateCommandInput, TestStateOutput } from "@aws-sdk/client-sfn";
import { LocalRunner, RunnerOptions } from "../local/runner";
import { ParsedTestState, parseTestState } from "./api";
import { contextOf, evaluate, inspect } from "./inspect";
import { exitOf, isolateState, mockedAsTask } from "./isolate";
import { TaskRecorder } from "./record";
import { retryFor, usesJsonata } from "./state";

/** A run's answer, with `errorDetails` kept apart until the inspection data is built. */
type Outcome = Pick<TestStateOutput, "status" | "nextState" | "error" | "cause"> & { output?: unknown; errorDetails?: Record<string, number> };

/** A failure a mocked Map reports when `mapIterationFailureCount` exceeds its tolerance (recorded). */
const THRESHOLD = { error: "States.ExceedToleratedFailureThreshold", cause: "The specified tolerated failure threshold was exceeded" };

/** Runs `request` as TestState does; throws `TestStateRefusal` where TestState refuses it. */
export async function runTestState(request: TestStateCommandInput, options: RunnerOptions, recorder: TaskRecorder): Promise<TestStateOutput> {
    return runParsed(parseTestState(request), options, recorder);
}

/** `runTestState` for a request already parsed (the CLI has checked its own options). */
export async function runParsed(test: ParsedTestState, options: RunnerOptions, recorder: TaskRecorder): Promise<TestStateOutput> {
    const jsonata = usesJsonata(test.definition, test.state);
    const thresholdExceeded = await exceedsTolerance(test, jsonata);
    recorder.useMock(thresholdExceeded ? THRESHOLD : test.mock);
    const tested = test.mock ? mockedAsTask(test.state, jsonata) : test.state;
    const context = contextOf(test) as { Execution: { Name: string; Id: string; StartTime: string }; StateMachine: { Id: string; Name: string } };
    const run = await new LocalRunner(isolateState(test.definition, test.name, tested, test.variables), options).run(test.input, context.Execution.Name, {
        // TestState's context (recorded): an Express execution, no RedriveCount, a null RoleArn without `roleArn`, the state named `StateName`.
        Execution: { ...context.Execution, RoleArn: test.roleArn ?? null, RedriveCount: null },
        StateMachine: context.StateMachine,
        StateName: "StateName",
    });
    const { output, errorDetails, ...rest } = await decide(test, run, options, jsonata);
    const response: TestStateOutput = { ...rest, ...(output !== undefined ? { output: JSON.stringify(output) } : {}) };
    if (test.inspectionLevel === "INFO") return response;
    const data = await inspect(test, recorder, options, jsonata);
    return { ...response, inspectionData: { ...data, ...(errorDetails ? { errorDetails } : {}) } };
}

/** True when a mocked Map's `mapIterationFailureCount` is over its `ToleratedFailureCount`/`Percentage`. */
async function exceedsTolerance(test: ParsedTestState, jsonata: boolean): Promise<boolean> {
    const failures = test.mapIterationFailureCount;
    if (failures === undefined || !test.mock || !("result" in test.mock) || !Array.isArray(test.mock.result)) return false;
    const bindings = { input: test.input, context: contextOf(test) };
    const count = await evaluate(test.state.ToleratedFailureCount, bindings, jsonata);
    const percentage = await evaluate(test.state.ToleratedFailurePercentage, bindings, jsonata);
    // Without either field AWS answered SUCCEEDED for 2 failures of 3 (recorded), so no field means no check.
    if (typeof count === "number" && failures > count) return true;
    return typeof percentage === "number" && (failures / Math.max(test.mock.result.length, 1)) * 100 > percentage;
}

async function decide(test: ParsedTestState, run: Awaited<ReturnType<LocalRunner["run"]>>, options: RunnerOptions, jsonata: boolean): Promise<Outcome> {
    const exit = exitOf(run.output);
    if (run.status === "SUCCEEDED" && exit?.kind !== "catch")
        return { status: "SUCCEEDED", ...(exit ? { nextState: exit.target, output: exit.output } : { output: run.output }) };
    const failure = exit ? (exit.output as { Error: string; Cause: string }) : { Error: run.error ?? "States.Runtime", Cause: run.cause ?? "" };
    const failed = { error: failure.Error, cause: failure.Cause };
    const retry = retryFor(test.state, failure.Error, test.retrierRetryCount ?? 0);
    if (retry && "retryBackoffIntervalSeconds" in retry) return { status: "RETRIABLE", ...failed, errorDetails: { ...retry } };
    // A retrier that matched but has no attempts left is named in a FAILED answer (recorded); a catcher's index
    // replaces it in a CAUGHT_ERROR one (UNKNOWN whether AWS shows both; the catcher is what decided).
    if (exit?.kind !== "catch") return { status: "FAILED", ...failed, ...(retry ? { errorDetails: { ...retry } } : {}) };
    const catcher = (test.state.Catch as Record<string, unknown>[])[exit.index];
    const output = jsonata ? await caughtJsonata(test, catcher, failure) : await caughtJsonPath(catcher, failure, test.input, options);
    return { status: "CAUGHT_ERROR", nextState: String(catcher.Next), output, ...failed, errorDetails: { catchIndex: exit.index } };
}

/** A JSONPath catcher's output: the error output placed at its `ResultPath` (by a Pass state, so by the engine's rules). */
async function caughtJsonPath(catcher: Record<string, unknown>, failure: unknown, input: unknown, options: RunnerOptions): Promise<unknown> {
    const resultPath = "ResultPath" in catcher ? { ResultPath: catcher.ResultPath } : {};
    const definition = { StartAt: "Step", States: { Step: { Type: "Pass", Result: failure, ...resultPath, End: true } } };
    const run = await new LocalRunner(definition, options).run(input);
    return run.status === "SUCCEEDED" ? run.output : undefined;
}

/** A JSONata catcher's output: its `Output` (default: the error output) with `$states.errorOutput` bound. */
async function caughtJsonata(test: ParsedTestState, catcher: Record<string, unknown>, failure: unknown): Promise<unknown> {
    if (!("Output" in catcher)) return failure;
    return evaluate(catcher.Output, { input: test.input, errorOutput: failure, context: contextOf(test) }, true);
}
