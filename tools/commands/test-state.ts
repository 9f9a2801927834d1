/**
 * `npm run test-state -- --stack <s> --state <Name> --input <file> [--workflow order]
 * [--inspection-level INFO|DEBUG|TRACE] [--reveal-secrets] [--mock-result <file> | --mock-error
 * <Error>[:<Cause>]] [--retry-count N] [--aws] [--outputs <file>]`: Step Functions' TestState for
 * one state of a workflow. Locally (the default) the state runs against the stack's sandbox APIs;
 * with `--aws` the TestState API runs it with the deployed definition and execution role.
 *
 * Contract: the last stdout line is the response as one JSON object, shaped like TestState's
 * (`status`, `nextState`, `output`, `error`, `cause`, `inspectionData`), secrets masked `***`
 * unless `--reveal-secrets`; exit 0 for SUCCEEDED, CAUGHT_ERROR and RETRIABLE, 1 for FAILED or an
 * AWS error, 2 for bad usage; `--help` prints the usage on stdout and exits 0.
 */
import type { TestStateOutput } from "@aws-sdk/client-sfn";
import * as path from "path";
import { printUsage, runCommand } from "./command-line";
import { AwsOptions, CommandFailure, testStateOnAws } from "../test-state/aws";
import { testStateLocally } from "../test-state/local";
import { parseRequest, USAGE } from "../test-state/options";

export { USAGE };

/** Where the command reads stacks and writes its lines; tests replace them. */
export interface TestStateDeps {
    /** Directory of the `Pulumi.<stack>.yaml` files. @default the repository root */
    readonly rootDir?: string;
    /** @default console.log */
    readonly out?: (line: string) => void;
    /** @default console.error */
    readonly err?: (line: string) => void;
    readonly aws?: AwsOptions;
}

/** The response line: TestState's fields in a fixed order, absent ones left out. */
export function responseLine(response: TestStateOutput): string {
    const { status, nextState, output, error, cause, inspectionData } = response;
    return JSON.stringify({ status, nextState, output, error, cause, inspectionData });
}

/** Runs the command with `argv`; resolves to the exit code, rejects with `UsageError` for bad usage. */
export async function testStateCommand(argv: readonly string[], deps: TestStateDeps = {}): Promise<number> {
    const rootDir = deps.rootDir ?? path.join(__dirname, "..", "..");
    const request = parseRequest(argv, rootDir);
    if (request === "help") return printUsage(USAGE);
    let response: TestStateOutput;
    try {
        response = request.aws ? await testStateOnAws(request, rootDir, deps.aws) : await testStateLocally(request, rootDir);
    } catch (e) {
        if (!(e instanceof CommandFailure)) throw e;
        (deps.err ?? console.error)(e.message);
        return e.exitCode;
    }
    (deps.out ?? console.log)(responseLine(response));
    return response.status === "FAILED" || response.status === undefined ? 1 : 0;
}

runCommand((argv) => testStateCommand(argv), USAGE, "test-state", module);
