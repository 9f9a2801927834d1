/**
 * `npm run test-state` without `--aws`: one state of the dev stack's order saga run against the
 * sandbox, answered in TestState's shape. What this cannot prove: that AWS's TestState answers
 * the same (its header list, its masking and the Cause of a status error are AWS's to decide).
 */
import * as assert from "node:assert/strict";
import * as path from "path";
import { UsageError } from "../../tools/commands/command-line";
import { LOCAL_CREDENTIALS } from "../../tools/local/local-connections";
import { SCENARIOS } from "../../tools/local/scenarios";
import { testStateCommand, USAGE } from "../../tools/commands/test-state";
import { retryFor } from "../../tools/test-state/state";
import { listStacks, readStackFile, stackSettings } from "../../tools/stack-file";
import { runScript } from "../helpers/command";
import { useTempDir } from "../helpers/temp-dir";

const ROOT = path.join(__dirname, "..", "..");
const ORDER = path.join(ROOT, "tools", "examples", "order.json");
/** AuthorizePayment's input as ReadSearchResult leaves it: the order, the currency lower-cased and the request's key. */
const AUTHORIZE = path.join(ROOT, "tools", "examples", "authorize-input.json");
const KEY = "authorize-ord-2001-1d8ddc92f21aa025aecd921185379f19";
const RAW_KEY = LOCAL_CREDENTIALS.bearer.replace(/^Bearer /, "");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Response = Record<string, any>;

async function testState(...argv: string[]): Promise<{ code: number; line: string; response: Response }> {
    const lines: string[] = [];
    const code = await testStateCommand(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    const line = lines[lines.length - 1];
    return { code, line, response: JSON.parse(line) };
}

describe("npm run test-state (local)", () => {
    const { write: file } = useTempDir("test-state-");

    const base = (state: string, input = ORDER) => ["--stack", "dev", "--state", state, "--input", input];

    it("runs AuthorizePayment against the sandbox at TRACE, the API key masked", async () => {
        const { code, line, response } = await testState(...base("AuthorizePayment", AUTHORIZE), "--inspection-level", "TRACE");
        assert.equal(code, 0);
        assert.equal(response.status, "SUCCEEDED");
        assert.equal(response.nextState, "CheckAuthorization");
        const output = JSON.parse(response.output);
        assert.equal(output.authorization.StatusCode, 200);
        assert.equal(output.authorization.ResponseBody.status, "requires_capture");
        const data = response.inspectionData;
        assert.deepEqual(Object.keys(data), [
            "input",
            "afterInputPath",
            "afterParameters",
            "result",
            "afterResultSelector",
            "afterResultPath",
            "request",
            "response",
        ]);
        assert.equal(JSON.parse(data.afterParameters).Headers["Idempotency-Key"], KEY);
        assert.deepEqual(JSON.parse(data.afterResultPath), output);
        // The URL the definition called, as AWS shows it (the route to the sandbox is not part of TRACE).
        const payment = new URL(stackSettings(readStackFile("dev", ROOT)).apis.payment.baseUrl);
        assert.equal(data.request.protocol, payment.protocol.replace(/:$/, ""));
        assert.equal(data.request.method, "POST");
        assert.equal(data.request.url, `${payment.origin}${payment.pathname.replace(/\/+$/, "")}/payment_intents`);
        assert.match(
            data.request.headers,
            /^\[Idempotency-Key: authorize-ord-2001-[0-9a-f]{32}, Stripe-Version: [^,]+, Content-Type: application\/x-www-form-urlencoded, Authorization: \*\*\*, User-Agent: Amazon\|StepFunctions\|HttpInvoke\|eu-west-1, Range: bytes=0-262144\]$/,
        );
        assert.match(data.request.body, /^amount=2599&currency=eur&payment_method=pm_card_visa&/);
        assert.equal(data.response.statusCode, "200");
        assert.equal(data.response.statusMessage, "OK");
        assert.match(data.response.headers, /(^\[|, )Content-Type: application\/json, /);
        assert.equal(JSON.parse(data.response.body).id, output.authorization.ResponseBody.id);
        assert.ok(!line.includes(RAW_KEY), "the API key appears in the output");
    });

    it("shows the API key with --reveal-secrets", async () => {
        const { response } = await testState(...base("AuthorizePayment", AUTHORIZE), "--inspection-level", "TRACE", "--reveal-secrets");
        assert.match(response.inspectionData.request.headers, new RegExp(`, Authorization: ${LOCAL_CREDENTIALS.bearer}, `));
    });

    it("masks the OAuth token the shipping API was called with, and reveals it on request", async () => {
        const masked = await testState(...base("CreateShipment"), "--inspection-level", "TRACE");
        assert.equal(masked.response.nextState, "CheckShipment");
        assert.match(masked.response.inspectionData.request.headers, /, Authorization: \*\*\*, /);
        assert.equal(JSON.parse(masked.response.output).shipmentAnswer.ResponseBody.trackingNumber, "1ZLOCAL0000000001");
        const revealed = await testState(...base("CreateShipment"), "--inspection-level", "TRACE", "--reveal-secrets");
        const token = /, Authorization: Bearer ([^,]+), /.exec(revealed.response.inspectionData.request.headers)?.[1];
        assert.ok(token && token !== "***", revealed.response.inspectionData.request.headers);
    });

    it("shows a non-2xx answer at TRACE and follows the catcher", async () => {
        const input = file("capture.json", { orderId: "ord-x", payment: { intentId: "pi_missing1", attempt: 1 } });
        const { code, response } = await testState(...base("CapturePayment", input), "--inspection-level", "TRACE");
        assert.equal(code, 0);
        assert.deepEqual(
            [response.status, response.nextState, response.error, response.cause],
            ["CAUGHT_ERROR", "ReadCapture", "States.Http.StatusCode.404", "Not Found"],
        );
        assert.deepEqual(JSON.parse(response.output).captureFailure, { Error: "States.Http.StatusCode.404", Cause: "Not Found" });
        assert.equal(response.inspectionData.response.statusCode, "404");
        assert.match(response.inspectionData.response.body, /resource_missing/);
        assert.deepEqual(response.inspectionData.errorDetails, { catchIndex: 0 });
    });

    it("answers TRACE on a state that is no HTTP Task like DEBUG, as AWS does (recorded)", async () => {
        const { code, response } = await testState(...base("ValidateOrder"), "--inspection-level", "TRACE");
        assert.deepEqual([code, response.status, response.nextState], [0, "SUCCEEDED", "SearchPaymentIntent"]);
        assert.deepEqual(Object.keys(response.inspectionData), ["input"]);
    });

    it("evaluates the JSONata Choice ValidateOrder: a bad order goes to InvalidOrder, a good one on", async () => {
        const bad = SCENARIOS.find((s) => s.name === "invalid order")!.order;
        const invalid = await testState(...base("ValidateOrder", file("bad.json", bad)), "--inspection-level", "DEBUG");
        assert.deepEqual([invalid.code, invalid.response.status, invalid.response.nextState], [0, "SUCCEEDED", "InvalidOrder"]);
        assert.deepEqual(JSON.parse(invalid.response.output), bad);
        assert.deepEqual(Object.keys(invalid.response.inspectionData), ["input"]);
        const valid = await testState(...base("ValidateOrder"));
        assert.equal(valid.response.nextState, "SearchPaymentIntent");
        assert.equal(valid.response.inspectionData, undefined);
    });

    it("reports a mocked 503 as RETRIABLE while attempts remain, then CAUGHT_ERROR to ReadRefusal", async () => {
        const mock = ["--mock-error", "States.Http.StatusCode.503:Service Unavailable", "--inspection-level", "DEBUG"];
        const first = await testState(...base("AuthorizePayment", AUTHORIZE), ...mock, "--retry-count", "0");
        assert.equal(first.code, 0);
        assert.deepEqual(
            [first.response.status, first.response.nextState, first.response.output, first.response.error, first.response.cause],
            ["RETRIABLE", undefined, undefined, "States.Http.StatusCode.503", "Service Unavailable"],
        );
        assert.deepEqual(first.response.inspectionData.errorDetails, { retryIndex: 0, retryBackoffIntervalSeconds: 1 });
        const third = await testState(...base("AuthorizePayment", AUTHORIZE), ...mock, "--retry-count", "2");
        assert.deepEqual(third.response.inspectionData.errorDetails, { retryIndex: 0, retryBackoffIntervalSeconds: 4 });
        const exhausted = await testState(...base("AuthorizePayment", AUTHORIZE), ...mock, "--retry-count", "3");
        assert.equal(exhausted.code, 0);
        assert.deepEqual([exhausted.response.status, exhausted.response.nextState], ["CAUGHT_ERROR", "ReadRefusal"]);
        assert.deepEqual(JSON.parse(exhausted.response.output).failure, { Error: "States.Http.StatusCode.503", Cause: "Service Unavailable" });
        assert.deepEqual(exhausted.response.inspectionData.errorDetails, { catchIndex: 0 });
    });

    it("sends a mocked decline to its own catcher, and fails on an error no catcher takes", async () => {
        const declined = await testState(...base("AuthorizePayment", AUTHORIZE), "--mock-error", "States.Http.StatusCode.402");
        assert.deepEqual([declined.response.status, declined.response.nextState, declined.response.cause], ["CAUGHT_ERROR", "ReadRefusal", ""]);
        const failed = await testState(...base("AuthorizePayment", AUTHORIZE), "--mock-error", "States.Runtime:boom");
        assert.equal(failed.code, 1);
        assert.deepEqual(failed.response, { status: "FAILED", error: "States.Runtime", cause: "boom" });
    });

    it("uses --mock-result instead of calling the API", async () => {
        const result = { StatusCode: 200, StatusText: "OK", Headers: {}, ResponseBody: { id: "pi_mock", status: "requires_capture" } };
        const { code, response } = await testState(
            ...base("AuthorizePayment", AUTHORIZE),
            "--mock-result",
            file("mock.json", result),
            "--inspection-level",
            "TRACE",
        );
        assert.equal(code, 0);
        assert.deepEqual([response.status, response.nextState], ["SUCCEEDED", "CheckAuthorization"]);
        assert.deepEqual(JSON.parse(response.output).authorization, result);
        assert.deepEqual(JSON.parse(response.inspectionData.result), result);
        assert.equal(response.inspectionData.request, undefined, "a mocked task sends no request");
    });

    const usage: [string, string[], RegExp][] = [
        ["an unknown option", [...base("AuthorizePayment", AUTHORIZE), "--bogus"], /Unknown option '--bogus'/],
        ["a missing --state and --input", ["--stack", "dev"], /^Missing `--state`, `--input`\.$/],
        ["an unknown stack", ["--stack", "nope", "--state", "A", "--input", ORDER], new RegExp(`^No stack \`nope\` \\(stacks: ${listStacks(ROOT).join(", ")}`)],
        ["an unknown state", base("Nope"), /^No state `Nope` in the definition \(states: ValidateOrder, SearchPaymentIntent, /],
        ["an unreadable input", base("AuthorizePayment", "/nonexistent/input.json"), /^Cannot read the input file .*ENOENT/],
        ["both mocks", [...base("AuthorizePayment", AUTHORIZE), "--mock-result", ORDER, "--mock-error", "X"], /^Only one of `--mock-result` or `--mock-error`/],
        ["an empty --mock-error", [...base("AuthorizePayment", AUTHORIZE), "--mock-error", ":cause"], /needs an error name/],
        ["a bad --inspection-level", [...base("AuthorizePayment", AUTHORIZE), "--inspection-level", "debug"], /must be one of INFO, DEBUG, TRACE; got `debug`/],
        ["a negative --retry-count", [...base("AuthorizePayment", AUTHORIZE), "--retry-count=-1"], /`--retry-count` must be a whole number/],
        ["a fractional --retry-count", [...base("AuthorizePayment", AUTHORIZE), "--retry-count", "1.5"], /`--retry-count` must be a whole number/],
        [
            "an oversized --retry-count",
            [...base("AuthorizePayment", AUTHORIZE), "--retry-count", "99999999999999999999"],
            /`--retry-count` must be a whole number from 0 to 99999999/,
        ],
        [
            "a --retry-count -1 written with a space (one line)",
            [...base("AuthorizePayment", AUTHORIZE), "--retry-count", "-1"],
            /^Option '--retry-count' argument is ambiguous\. Did you forget.*'--retry-count=-XYZ'\.$/,
        ],
        [
            "an unknown --workflow",
            [...base("AuthorizePayment", AUTHORIZE), "--workflow", "../x"],
            /^No workflow `..\/x` \(workflows: order, comments, collect\)\.$/,
        ],
        ["a hexadecimal --retry-count", [...base("AuthorizePayment", AUTHORIZE), "--retry-count", "0x3"], /`--retry-count` must be a whole number/],
        [
            "another workflow locally",
            [...base("AuthorizePayment", AUTHORIZE), "--workflow", "comments"],
            /`--workflow comments` cannot run locally; workflows that can: order, collect/,
        ],
        ["--outputs without --aws", [...base("AuthorizePayment", AUTHORIZE), "--outputs", ORDER], /only read with `--aws`/],
        [
            "a mock of a Choice state",
            [...base("ValidateOrder"), "--mock-error", "X"],
            /^TestState mocks only Task, Map and Parallel states; `ValidateOrder` is a Choice state/,
        ],
        ["--reveal-secrets with a mock", [...base("AuthorizePayment", AUTHORIZE), "--mock-error", "X", "--reveal-secrets"], /cannot be combined with a mock/],
    ];
    it("runs a nested state of the collection: a page fetched at TRACE (key masked) and reshaped by the fetch's JSONata Output, a store whose S3 error goes to the Express child's retry budget", async () => {
        const run = { execution: "run-1", yyyy: "2026", mm: "11", dd: "25" };
        const collect = (state: string, input: unknown, ...more: string[]) =>
            testState("--stack", "dev", "--workflow", "collect", "--state", state, "--input", file(`${state.replace(/\W+/g, "-")}.json`, input), ...more);
        const fetched = await collect(
            "posts: fetch page",
            { source: "posts", run, page: 0, items: 0, request: { query: { per_page: "10" } }, seen: [] },
            "--inspection-level",
            "TRACE",
        );
        // One state fetches and reshapes: no Pass follows the HTTP Task (issue 18).
        assert.deepEqual([fetched.code, fetched.response.status, fetched.response.nextState], [0, "SUCCEEDED", "posts: check page"]);
        assert.match(fetched.response.inspectionData.request.url, /\/2\/posts\?per_page=10$/);
        assert.match(fetched.response.inspectionData.response.headers, /Link: <[^>]+after=p1009>; rel="next"/);
        assert.ok(!fetched.line.includes(LOCAL_CREDENTIALS.clientSecret));
        const output = JSON.parse(fetched.response.output);
        assert.deepEqual([output.next, output.page, output.items, Object.keys(output.data[0]).sort()], ["fetch", 1, 10, ["created_at", "id", "likes", "text"]]);
        assert.deepEqual(output.request.query, { per_page: "10", after: "p1009" });
        const store = { ...output, data: output.data.slice(0, 1) };
        // The dev stack's page loops run in Express children: no Task retries on its own, the child's budget does.
        const caught = await collect("posts: store page", store, "--mock-error", "S3.S3Exception:denied");
        assert.deepEqual([caught.response.status, caught.response.error, caught.response.nextState], ["CAUGHT_ERROR", "S3.S3Exception", "posts: retry store?"]);
    });

    for (const [what, argv, message] of usage) {
        it(`refuses ${what} as bad usage`, async () => {
            await assert.rejects(testStateCommand(argv, { out: assert.fail }), (e: Error) => e instanceof UsageError && message.test(e.message));
        });
    }

    it("refuses an input file that is not JSON", async () => {
        await assert.rejects(testStateCommand(base("AuthorizePayment", file("broken.json", "{")), { out: assert.fail }), /is not valid JSON/);
    });

    it("exits 0 with the usage for --help, 2 for bad usage and 1 for FAILED (the real entry point)", async () => {
        // Usage runs in-process (the same `runCommand` main); one ts-node start (2–3 s of CPU) proves the
        // entry point, inside mocha's 120 s budget even with both cores busy elsewhere.
        const help = await runScript("tools/commands/test-state.ts", "--help");
        assert.deepEqual([help.code, help.stdout.trim()], [0, USAGE]);
        const bad = await runScript("tools/commands/test-state.ts", "--stack", "dev", "--state", "AuthorizePayment");
        assert.equal(bad.code, 2);
        assert.deepEqual(bad.stderr.trim().split("\n"), ["Missing `--input`.", USAGE]);
        assert.equal(bad.stdout, "");
        const failed = await runScript("tools/commands/test-state.ts", ...base("AuthorizePayment", AUTHORIZE), "--mock-error", "States.Runtime:boom");
        assert.equal(failed.code, 1);
        const lines = failed.stdout.trim().split("\n");
        assert.deepEqual(JSON.parse(lines[lines.length - 1]), { status: "FAILED", error: "States.Runtime", cause: "boom" });
    });
});

describe("the Retry decision of test-state", () => {
    const retrier = (fields: Record<string, unknown>) => ({ Type: "Task", Retry: [{ ErrorEquals: ["States.Http.Socket"], MaxAttempts: 0 }, fields] });
    const cases: [string, Record<string, unknown>, string, number, ReturnType<typeof retryFor>][] = [
        ["States.ALL matches any error", { ErrorEquals: ["States.ALL"] }, "Custom.Error", 0, { retryIndex: 1, retryBackoffIntervalSeconds: 1 }],
        ["defaults: 3 attempts, 1 s, rate 2", { ErrorEquals: ["E"] }, "E", 2, { retryIndex: 1, retryBackoffIntervalSeconds: 4 }],
        ["the defaults run out after 3 (the retrier is still named)", { ErrorEquals: ["E"] }, "E", 3, { retryIndex: 1 }],
        [
            "MaxDelaySeconds caps the wait",
            { ErrorEquals: ["E"], IntervalSeconds: 10, MaxDelaySeconds: 15 },
            "E",
            2,
            { retryIndex: 1, retryBackoffIntervalSeconds: 15 },
        ],
        ["States.TaskFailed does not match States.Timeout", { ErrorEquals: ["States.TaskFailed"] }, "States.Timeout", 0, undefined],
        ["States.Runtime is never retried", { ErrorEquals: ["States.ALL"] }, "States.Runtime", 0, undefined],
        ["the first matching retrier decides, even when exhausted", { ErrorEquals: ["States.ALL"] }, "States.Http.Socket", 0, { retryIndex: 0 }],
    ];
    for (const [what, fields, error, count, expected] of cases) {
        it(what, () => assert.deepEqual(retryFor(retrier(fields), error, count), expected));
    }
});
