/**
 * TestState in AWS: the deployed definition (`DescribeStateMachine` on the workflow's state
 * machine) is sent whole with `stateName`, and the workflow's execution role, both found in the
 * stack outputs (`--outputs <file>`, or `pulumi stack output --json`).
 */
import { DescribeStateMachineCommand, SFNClient, TestStateCommand, TestStateCommandInput, TestStateOutput } from "@aws-sdk/client-sfn";
import { execFile } from "child_process";
import { isObject } from "../../deploy/asl/json";
import { readStackFile, StackFile, stackSettings } from "../stack-file";
import { readJsonFile, UsageError } from "../commands/command-line";
import { maskHeaderValues } from "./format";
import { TestStateRequest } from "./options";
import { checkOptionsFit, stateOf } from "./state";

/** A failure reported in one line with its own exit code (no usage). */
export class CommandFailure extends Error {
    constructor(
        message: string,
        readonly exitCode: 1 | 2,
    ) {
        super(message);
    }
}

/** Seams for tests. */
export interface AwsOptions {
    /** @default a client for the stack's region */
    readonly client?: SFNClient;
    /** @default "pulumi" */
    readonly pulumiCommand?: string;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** `pulumi stack output --json --stack <stack>`, parsed; a missing CLI exits 2. */
export function pulumiStackOutputs(stack: string, cwd: string, command = "pulumi"): Promise<unknown> {
    const shown = `\`pulumi stack output --json --stack ${stack}\``;
    return new Promise((resolve, reject) => {
        execFile(command, ["stack", "output", "--json", "--stack", stack], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT")
                reject(new CommandFailure(`The Pulumi CLI (\`${command}\`) was not found; install it, or pass \`--outputs <file>\` with a saved ${shown}.`, 2));
            else if (error) reject(new CommandFailure(`${shown} failed: ${oneLine(String(stderr)) || error.message}`, 1));
            else {
                try {
                    resolve(JSON.parse(String(stdout)));
                } catch {
                    reject(new CommandFailure(`${shown} did not print JSON.`, 1));
                }
            }
        });
    });
}

function deployed(outputs: unknown, workflow: string): { stateMachineArn: string; roleArn: string } {
    const o = (isObject(outputs) ? outputs : {}) as Record<string, Record<string, unknown> | undefined>;
    const stateMachineArn = o.stateMachineArns?.[workflow];
    const roleArn = o.roleArns?.[workflow];
    if (typeof stateMachineArn !== "string" || typeof roleArn !== "string")
        throw new UsageError(
            `The stack outputs have no \`stateMachineArns.${workflow}\` and \`roleArns.${workflow}\` (deployed workflows: ${Object.keys(o.stateMachineArns ?? {}).join(", ") || "none"}).`,
        );
    return { stateMachineArn, roleArn };
}

/** The `TestState` request for `request` against the deployed `definition` (JSON text) and `roleArn`. */
export function testStateInput(definition: string, roleArn: string, request: TestStateRequest): TestStateCommandInput {
    const mock = request.mock;
    return {
        definition,
        stateName: request.state,
        // With a mock the role is optional (§6.2); leaving it out spares the trust-policy question.
        ...(mock ? {} : { roleArn }),
        input: JSON.stringify(request.input),
        inspectionLevel: request.inspectionLevel,
        revealSecrets: request.revealSecrets,
        ...(mock ? { mock: "result" in mock ? { result: JSON.stringify(mock.result) } : { errorOutput: { error: mock.error, cause: mock.cause } } } : {}),
        ...(request.retryCount !== undefined ? { stateConfiguration: { retrierRetryCount: request.retryCount } } : {}),
    };
}

/** Headers that carry a connection's credential in this stack: `Authorization` and API key headers. */
function credentialHeaders(stackFile: StackFile): string[] {
    try {
        const apis = Object.values(stackSettings(stackFile).apis);
        return ["Authorization", ...apis.flatMap((a) => (a.auth.type === "apiKey" ? [a.auth.headerName] : []))];
    } catch {
        return ["Authorization"];
    }
}

function refused(e: unknown, request: TestStateRequest, roleArn: string): CommandFailure {
    const { name, message } = e as { name?: string; message?: string };
    const aws = oneLine(`${name ?? "Error"}: ${message ?? String(e)}`);
    if (name !== "AccessDeniedException" && !/assum/i.test(aws)) return new CommandFailure(`TestState failed: ${aws}`, 1);
    const permissions = `\`states:TestState\`${request.mock ? "" : ` and \`iam:PassRole\` on \`${roleArn}\``}${request.revealSecrets ? " and `states:RevealSecrets`" : ""}`;
    return new CommandFailure(
        `TestState was refused (${aws}). The \`${request.workflow}\` execution role trusts only its own state machine (\`aws:SourceArn\`), which TestState may not present: ` +
            `set \`testStateAccess: true\` on stack \`${request.stack}\` (\`pulumi config set testStateAccess true --stack ${request.stack}\`, then \`pulumi up\`), ` +
            `or run the state locally without \`--aws\`. If that is set already, your identity needs ${permissions}.`,
        1,
    );
}

/** Runs `request.state` of the deployed workflow with TestState; the response is masked unless secrets are revealed. */
export async function testStateOnAws(request: TestStateRequest, rootDir: string, options: AwsOptions = {}): Promise<TestStateOutput> {
    const outputs = request.outputsFile
        ? readJsonFile(request.outputsFile, "outputs")
        : await pulumiStackOutputs(request.stack, rootDir, options.pulumiCommand);
    const { stateMachineArn, roleArn } = deployed(outputs, request.workflow);
    const stackFile = readStackFile(request.stack, rootDir);
    const client = options.client ?? new SFNClient({ region: stackFile.region });
    let definition: string;
    try {
        definition = (await client.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition ?? "";
    } catch (e) {
        throw new CommandFailure(oneLine(`DescribeStateMachine \`${stateMachineArn}\` failed: ${(e as Error).name}: ${(e as Error).message}`), 1);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(definition);
    } catch {
        throw new CommandFailure(`The definition of \`${stateMachineArn}\` is not JSON.`, 1);
    }
    checkOptionsFit(stateOf(parsed, request.state), request.state, request);
    let response;
    try {
        response = await client.send(new TestStateCommand(testStateInput(definition, roleArn, request)));
    } catch (e) {
        throw refused(e, request, roleArn);
    }
    const headers = response.inspectionData?.request?.headers;
    if (request.revealSecrets || headers === undefined) return response;
    const masked = maskHeaderValues(headers, credentialHeaders(stackFile));
    return { ...response, inspectionData: { ...response.inspectionData, request: { ...response.inspectionData!.request, headers: masked } } };
}
