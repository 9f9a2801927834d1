import * as assert from "node:assert/strict";
import { dynamicPath, httpRetryPolicy, httpTask, isForbiddenHeader } from "../../deploy/asl/http-task";
import { format, path, renderPayload } from "../../deploy/asl/payload";
import { baseUrlProblems, endpointMatch } from "../../deploy/asl/endpoint";

const api = { baseUrl: "https://api.example.com/v1/", connectionArn: "arn:aws:events:us-east-1:123456789012:connection/c/1" };
const end = { End: true } as const;

describe("httpTask", () => {
    it("builds a static endpoint, auth, headers, query and body with `.$` keys for dynamic values", () => {
        const task = httpTask({
            api,
            path: "/charges",
            method: "POST",
            transition: end,
            headers: { "Idempotency-Key": format("charge-{}", path("$.orderId")) },
            queryParameters: { expand: "customer", limit: path("$.limit") },
            requestBody: { amount: path("$.amount"), meta: { source: "sfn", id: path("$.id") } },
        });
        assert.deepEqual(task.Parameters, {
            ApiEndpoint: "https://api.example.com/v1/charges",
            Method: "POST",
            InvocationConfig: { ConnectionArn: api.connectionArn },
            Headers: { "Idempotency-Key.$": "States.Format('charge-{}', $.orderId)" },
            QueryParameters: { expand: "customer", "limit.$": "$.limit" },
            RequestBody: { "amount.$": "$.amount", meta: { source: "sfn", "id.$": "$.id" } },
        });
        assert.equal(task.Resource, "arn:aws:states:::http:invoke");
        assert.equal(task.End, true);
    });

    it("builds a dynamic endpoint with `States.Format` and escapes the literal part", () => {
        const task = httpTask({
            api: { ...api, baseUrl: "https://api.example.com/it's" },
            path: dynamicPath("/items/{}/parts/{}", path("$.a"), path("$.b")),
            method: "GET",
            transition: end,
        });
        assert.equal(task.Parameters?.["ApiEndpoint.$"], "States.Format('https://api.example.com/it\\'s/items/{}/parts/{}', $.a, $.b)");
        assert.deepEqual(endpointMatch(task.Parameters as Record<string, unknown>, "T"), {
            kind: "pattern",
            parts: ["https://api.example.com/it's/items/", "/parts/", ""],
        });
    });

    it("retries 429, 500, 502, 503, 504 and socket errors with full jitter, never other 4xx", () => {
        const task = httpTask({ api, method: "GET", transition: end });
        assert.deepEqual(task.Retry, [
            {
                ErrorEquals: [
                    "States.Http.StatusCode.429",
                    "States.Http.StatusCode.500",
                    "States.Http.StatusCode.502",
                    "States.Http.StatusCode.503",
                    "States.Http.StatusCode.504",
                    "States.Http.Socket",
                ],
                IntervalSeconds: 1,
                MaxAttempts: 3,
                BackoffRate: 2,
                MaxDelaySeconds: 20,
                JitterStrategy: "FULL",
            },
        ]);
        assert.equal(httpRetryPolicy({ MaxAttempts: 6 })[0].MaxAttempts, 6);
    });

    it("adds the form content type and the array format for URL-encoded bodies", () => {
        const task = httpTask({ api, method: "POST", requestBody: { a: ["x"] }, urlEncodedBody: { arrayFormat: "BRACKETS" }, transition: end });
        assert.deepEqual(task.Parameters?.Headers, { "Content-Type": "application/x-www-form-urlencoded" });
        assert.deepEqual(task.Parameters?.Transform, { RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: { ArrayFormat: "BRACKETS" } });
    });

    const rejected: [string, () => unknown, string][] = [
        [
            "a forbidden header",
            () => httpTask({ api, method: "GET", headers: { authorization: "x" }, transition: end }),
            "Header `authorization` is forbidden in an HTTP Task (Step Functions fails it with `States.Runtime`); put credentials in the connection.",
        ],
        [
            "a forbidden header prefix",
            () => httpTask({ api, method: "GET", headers: { "X-Amz-Date": "x" }, transition: end }),
            "Header `X-Amz-Date` is forbidden in an HTTP Task (Step Functions fails it with `States.Runtime`); put credentials in the connection.",
        ],
        [
            "an http base URL",
            () => httpTask({ api: { ...api, baseUrl: "http://api.example.com" }, method: "GET", transition: end }),
            "API base URL `http://api.example.com` must use `https://`.",
        ],
        [
            "a loopback http base URL without opting in",
            () => httpTask({ api: { ...api, baseUrl: "http://127.0.0.1:8080" }, method: "GET", transition: end }),
            "API base URL `http://127.0.0.1:8080` must use `https://`.",
        ],
        [
            "a query string",
            () => httpTask({ api: { ...api, baseUrl: "https://api.example.com?a=1" }, method: "GET", transition: end }),
            "API base URL `https://api.example.com?a=1` must not contain a query string (use `QueryParameters`).",
        ],
        ["a placeholder count mismatch", () => dynamicPath("/a/{}/{}", path("$.x")), "Dynamic path `/a/{}/{}` has 2 `{}` but 1 arguments."],
        ["a path that is not JSONPath", () => path("orderId"), "JSONPath `orderId` must start with `$`."],
    ];
    for (const [what, build, message] of rejected) {
        it(`rejects ${what}`, () => assert.throws(build, { message }));
    }

    it("has no loopback exception: the local runner routes the real https URLs instead", () => {
        for (const url of ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"])
            assert.deepEqual(baseUrlProblems(url), ["must use `https://`"]);
        assert.deepEqual(baseUrlProblems("https://127.0.0.1:8080"), []);
    });

    const headerCases: [string, boolean][] = [
        ["Authorization", true],
        ["HOST", true],
        ["x-forwarded-for", true],
        ["X-Amzn-Trace-Id", true],
        ["Content-Type", false],
        ["Idempotency-Key", false],
        ["User-Agent", false],
    ];
    for (const [name, forbidden] of headerCases) {
        it(`treats \`${name}\` as ${forbidden ? "forbidden" : "allowed"}`, () => assert.equal(isForbiddenHeader(name), forbidden));
    }

    it("escapes quotes, braces and backslashes in States.Format templates", () => {
        assert.deepEqual(renderPayload({ m: format("it's {} \\ {x}", path("$.a")) }), { "m.$": "States.Format('it\\'s {} \\\\ \\{x\\}', $.a)" });
    });
});
