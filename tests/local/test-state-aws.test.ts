/**
 * `npm run test-state -- --aws`: the TestState request built from the stack outputs and the
 * deployed definition, with the SFN client mocked (`aws-sdk-client-mock`), so nothing leaves this
 * machine. What this cannot prove: that AWS accepts the request, or which `aws:SourceArn` (if any)
 * TestState presents when it assumes the execution role (docs/aws-facts.md §13).
 */
import * as assert from "node:assert/strict";
import { DescribeStateMachineCommand, SFNClient, TestStateCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../../tools/commands/command-line";
import { testStateCommand } from "../../tools/commands/test-state";
import { maskHeaderValues } from "../../tools/test-state/format";

// The SDK warns once per process that releases after January 2027 need Node 22; we pin a release
// that runs on Node 20 (package.json), so the warning is noise in the test report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const ROOT = path.join(__dirname, "..", "..");
const ORDER = path.join(ROOT, "tools", "examples", "order.json");
const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:sfn-http-workflows-dev-order";
const ROLE = "arn:aws:iam::123456789012:role/order-workflow-role-d503252";
const DEFINITION = JSON.stringify({
    StartAt: "AuthorizePayment",
    States: {
        AuthorizePayment: {
            Type: "Task",
            Resource: "arn:aws:states:::http:invoke",
            Parameters: {
                ApiEndpoint: "https://api.stripe.com/v1/payment_intents",
                Method: "POST",
                Authentication: { ConnectionArn: "arn:aws:events:eu-west-1:1:connection/p/x" },
            },
            Next: "Done",
        },
        Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }], Default: "Done" },
        Done: { Type: "Succeed" },
    },
});
const TRACE_HEADERS =
    "[Idempotency-Key: authorize-ord-2001, Authorization: Bearer sk_live_from_aws, User-Agent: Amazon|StepFunctions|HttpInvoke|eu-west-1, Range: bytes=0-262144]";

describe("npm run test-state -- --aws", () => {
    const sfn = mockClient(SFNClient);
    let tmp: string;
    let outputs: string;
    let lines: string[];
    let errors: string[];
    const run = (...argv: string[]) =>
        testStateCommand(["--stack", "dev", "--state", "AuthorizePayment", "--input", ORDER, "--aws", "--outputs", outputs, ...argv], {
            out: (l) => lines.push(l),
            err: (l) => errors.push(l),
        });
    const sent = () => sfn.commandCalls(TestStateCommand)[0].args[0].input;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "test-state-aws-"));
        outputs = path.join(tmp, "outputs.json");
        fs.writeFileSync(
            outputs,
            JSON.stringify({ stateMachineArns: { order: MACHINE, comments: `${MACHINE}-c` }, roleArns: { order: ROLE, comments: `${ROLE}-c` } }),
        );
    });
    beforeEach(() => {
        lines = [];
        errors = [];
        sfn.reset();
        sfn.on(DescribeStateMachineCommand, { stateMachineArn: MACHINE }).resolves({ definition: DEFINITION });
        sfn.on(TestStateCommand).resolves({
            status: "SUCCEEDED",
            nextState: "Done",
            output: '{"ok":true}',
            inspectionData: { input: "{}", request: { protocol: "https", method: "POST", headers: TRACE_HEADERS } },
            $metadata: { httpStatusCode: 200 },
        });
    });
    after(() => {
        sfn.restore();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("sends the whole deployed definition, stateName, the execution role, the input and the level", async () => {
        assert.equal(await run("--inspection-level", "TRACE"), 0);
        assert.equal(sfn.commandCalls(DescribeStateMachineCommand).length, 1);
        assert.deepEqual(sent(), {
            definition: DEFINITION,
            stateName: "AuthorizePayment",
            roleArn: ROLE,
            input: JSON.stringify(JSON.parse(fs.readFileSync(ORDER, "utf8"))),
            inspectionLevel: "TRACE",
            revealSecrets: false,
        });
        assert.equal(await (sfn.call(0).thisValue as SFNClient).config.region(), "eu-west-1");
        const response = JSON.parse(lines[lines.length - 1]);
        assert.deepEqual(Object.keys(response), ["status", "nextState", "output", "inspectionData"]);
        assert.equal(response.inspectionData.request.headers, TRACE_HEADERS.replace("Bearer sk_live_from_aws", "***"));
        assert.deepEqual(errors, []);
    });

    it("asks for and prints secrets with --reveal-secrets", async () => {
        assert.equal(await run("--inspection-level", "TRACE", "--reveal-secrets"), 0);
        assert.equal(sent().revealSecrets, true);
        assert.equal(JSON.parse(lines[0]).inspectionData.request.headers, TRACE_HEADERS);
    });

    it("sends a mocked error with the retry count, and no role", async () => {
        sfn.on(TestStateCommand).resolves({ status: "RETRIABLE", error: "States.Http.StatusCode.503", cause: "Service Unavailable" });
        assert.equal(await run("--mock-error", "States.Http.StatusCode.503:Service Unavailable", "--retry-count", "2"), 0);
        const input = sent();
        assert.deepEqual(input.mock, { errorOutput: { error: "States.Http.StatusCode.503", cause: "Service Unavailable" } });
        assert.deepEqual(input.stateConfiguration, { retrierRetryCount: 2 });
        assert.equal(input.roleArn, undefined);
        assert.equal(JSON.parse(lines[0]).status, "RETRIABLE");
    });

    it("sends a mocked result as JSON text", async () => {
        const result = path.join(tmp, "result.json");
        fs.writeFileSync(result, '{ "StatusCode": 200 }');
        await run("--mock-result", result);
        assert.deepEqual(sent().mock, { result: '{"StatusCode":200}' });
    });

    it("exits 1 when the state FAILED", async () => {
        sfn.on(TestStateCommand).resolves({ status: "FAILED", error: "States.Http.StatusCode.500", cause: "Internal Server Error" });
        assert.equal(await run(), 1);
        assert.deepEqual(JSON.parse(lines[0]), { status: "FAILED", error: "States.Http.StatusCode.500", cause: "Internal Server Error" });
    });

    const denials: [string, Error][] = [
        ["AccessDeniedException", Object.assign(new Error("User is not authorized to perform: states:TestState"), { name: "AccessDeniedException" })],
        ["a role that cannot be assumed", Object.assign(new Error("Step Functions could not assume the role\nprovided."), { name: "ValidationException" })],
    ];
    for (const [what, error] of denials) {
        it(`turns ${what} into one line that says what to change`, async () => {
            sfn.on(TestStateCommand).rejects(error);
            assert.equal(await run(), 1);
            assert.deepEqual(lines, []);
            assert.equal(errors.length, 1);
            assert.ok(!errors[0].includes("\n"));
            assert.match(errors[0], new RegExp(`^TestState was refused \\(${error.name}: `));
            assert.match(
                errors[0],
                /set `testStateAccess: true` on stack `dev` \(`pulumi config set testStateAccess true --stack dev`, then `pulumi up`\), or run the state locally without `--aws`/,
            );
            assert.match(errors[0], new RegExp(`\`iam:PassRole\` on \`${ROLE}\``));
        });
    }

    it("reports another AWS error in one line", async () => {
        sfn.on(TestStateCommand).rejects(Object.assign(new Error("Invalid State Machine Definition"), { name: "InvalidDefinition" }));
        assert.equal(await run(), 1);
        assert.deepEqual(errors, ["TestState failed: InvalidDefinition: Invalid State Machine Definition"]);
    });

    it("reports a failed DescribeStateMachine in one line", async () => {
        sfn.on(DescribeStateMachineCommand).rejects(Object.assign(new Error("State Machine Does Not Exist"), { name: "StateMachineDoesNotExist" }));
        assert.equal(await run(), 1);
        assert.deepEqual(errors, [`DescribeStateMachine \`${MACHINE}\` failed: StateMachineDoesNotExist: State Machine Does Not Exist`]);
        assert.equal(sfn.commandCalls(TestStateCommand).length, 0);
    });

    it("runs another deployed workflow's state, and refuses a workflow the outputs lack", async () => {
        sfn.on(DescribeStateMachineCommand, { stateMachineArn: `${MACHINE}-c` }).resolves({ definition: DEFINITION });
        assert.equal(await run("--workflow", "comments"), 0);
        assert.equal(sent().roleArn, `${ROLE}-c`);
        const orderOnly = path.join(tmp, "order-only.json");
        fs.writeFileSync(orderOnly, JSON.stringify({ stateMachineArns: { order: MACHINE }, roleArns: { order: ROLE } }));
        await assert.rejects(
            run("--workflow", "comments", "--outputs", orderOnly),
            (e: Error) => e instanceof UsageError && /no `stateMachineArns.comments`.*deployed workflows: order\)/.test(e.message),
        );
        await assert.rejects(run("--workflow", "intake"), (e: Error) => e instanceof UsageError && /^No workflow `intake`/.test(e.message));
    });

    it("refuses a state the deployed definition lacks before calling TestState", async () => {
        await assert.rejects(
            run("--state", "Nope"),
            (e: Error) => e instanceof UsageError && /^No state `Nope` .*AuthorizePayment, Check, Done/.test(e.message),
        );
        assert.equal(sfn.commandCalls(TestStateCommand).length, 0);
    });

    it("refuses an unreadable outputs file as bad usage", async () => {
        await assert.rejects(
            run("--outputs", path.join(tmp, "missing.json")),
            (e: Error) => e instanceof UsageError && /Cannot read the outputs file/.test(e.message),
        );
    });

    it("says in one line, exit 2, that the Pulumi CLI is missing when no outputs file is given", async () => {
        const argv = ["--stack", "dev", "--state", "AuthorizePayment", "--input", ORDER, "--aws"];
        const code = await testStateCommand(argv, {
            out: (l) => lines.push(l),
            err: (l) => errors.push(l),
            aws: { pulumiCommand: "pulumi-not-installed-here" },
        });
        assert.equal(code, 2);
        assert.deepEqual(errors, [
            "The Pulumi CLI (`pulumi-not-installed-here`) was not found; install it, or pass `--outputs <file>` with a saved `pulumi stack output --json --stack dev`.",
        ]);
        assert.equal(sfn.calls().length, 0);
    });
});

describe("masking a TRACE header list", () => {
    const cases: [string, string[], string][] = [
        ["[Authorization: Basic abc=, User-Agent: x]", ["Authorization"], "[Authorization: ***, User-Agent: x]"],
        ["[Accept: a, b, x-api-key: k, y, Range: bytes=0-1]", ["X-Api-Key"], "[Accept: a, b, x-api-key: ***, Range: bytes=0-1]"],
        ["[A: 1]", [], "[A: 1]"],
    ];
    for (const [list, names, expected] of cases) it(`${list} → ${expected}`, () => assert.equal(maskHeaderValues(list, names), expected));
});
