import * as assert from "assert";
import * as path from "path";
import { s3PutObject } from "../../deploy/asl/data-tasks";
import { format, path as jsonPath } from "../../deploy/asl/payload";
import { derivePolicy } from "../../deploy/asl/policy";
import { allStates } from "../../deploy/asl/walk";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { evaluateTemplate as evaluateField } from "../../tools/engine/jsonata-eval";
import { seededRandom } from "../../tools/sandbox/faults";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { CollectSettings, SourceSettings } from "../../deploy/stack-config/types";
import { pageTransformExpression } from "../../deploy/workflows/collect/page";
import { keepInputCatcher } from "../../deploy/workflows/collect/fetch";
import { standardTransitionsPerPage } from "../../tools/cost/collect-cost";
import { MAX_BATCH_RESULT_BYTES } from "../../deploy/workflows/collect/source";
import { MAX_BATCHES } from "../../deploy/stack-config/collect-rules";
import { aslErrors, testCollectDefinition, testConnectionArn } from "../helpers/asl";
import { isAllowed } from "../helpers/iam";

/** One JSONata field evaluated outside an execution, by the engine's evaluator. */
const evaluateTemplate = (value: unknown, bindings: Record<string, unknown>) =>
    evaluateField(value, bindings, { state: "(test)", enteredId: 0, field: "Output" });

const ROOT = path.join(__dirname, "..", "..");
const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:sfn-http-workflows-dev-collect";
const BUCKET = "collect-pages-0e1cc10";
const BUS = "arn:aws:events:eu-west-1:123456789012:event-bus/default";

function devCollect(): CollectSettings {
    const collect = stackSettings(readStackFile("dev", ROOT)).collect;
    assert.ok(collect, "dev enables collect");
    return collect;
}

const settingsOf = () => stackSettings(readStackFile("dev", ROOT));

function definitionOf(collect: CollectSettings): StateMachineDefinition {
    return testCollectDefinition(settingsOf(), collect);
}

const policyOf = (definition: StateMachineDefinition) =>
    derivePolicy(definition, {
        stateMachineArn: MACHINE,
        connectionSecrets: { [testConnectionArn("telemetry")]: "arn:secret:telemetry", [testConnectionArn("social")]: "arn:secret:social" },
        logging: false,
        tracing: false,
    });

describe("the collection workflow (deploy/workflows/collect/definition.ts)", () => {
    const collect = devCollect();
    const definition = definitionOf(collect);

    it("is valid ASL, with one Parallel branch per API whose Map runs at the API's maxConcurrency", () => {
        assert.deepEqual(aslErrors(definition), []);
        const branches = (definition.States.Collect as unknown as { Branches: StateMachineDefinition[] }).Branches;
        assert.deepEqual(
            branches.map((b) => b.StartAt),
            ["API social: plan", "API telemetry: plan"],
        );
        for (const branch of branches) {
            const api = branch.StartAt.split(":")[0].replace(/^API /, "");
            const map = branch.States[`API ${api}: sources`];
            assert.equal(map.Type === "Map" && map.MaxConcurrency, collect.apiLimits[api].maxConcurrency);
        }
    });

    it("fetches and reshapes a page in one JSONata HTTP Task: no Pass follows a fetch, 4 transitions a stored page (was 5 with the Pass)", () => {
        let fetches = 0;
        for (const { name, state, parents } of allStates(definition)) {
            if (state.Type !== "Task" || state.Resource !== "arn:aws:states:::http:invoke") continue;
            fetches++;
            assert.equal(state.QueryLanguage, "JSONata", name);
            assert.equal(state.Parameters, undefined, name);
            assert.deepEqual(Object.keys(state.Arguments as object).sort(), ["ApiEndpoint", "InvocationConfig", "Method", "QueryParameters"], name);
            const next = allStates(definition).find((s) => s.name === state.Next && s.parents.join() === parents.join())!.state;
            assert.equal(next.Type, "Choice", name);
        }
        assert.equal(fetches, collect.sources.length);
        for (const source of collect.sources) assert.equal(standardTransitionsPerPage(definition, source), 4, source.name);
    });

    it("keeps every state name unique when a source is named like an API, and every label unique", () => {
        const renamed = { ...collect, sources: collect.sources.map((s) => (s.name === "posts" ? { ...s, name: "social" } : s)) };
        const d = definitionOf(renamed);
        assert.deepEqual(aslErrors(d), []);
        const names = allStates(d).map((s) => s.name);
        assert.equal(new Set(names).size, names.length);
        const labels = allStates(d).flatMap((s) => (s.state.Type === "Map" && s.state.Label ? [s.state.Label] : []));
        assert.deepEqual(labels.sort(), ["readings", "sources_social", "sources_telemetry"]);
    });

    it("fans a source out over its item list with a Distributed Map: ItemReader, batches, tolerated failures, a label", () => {
        const readings = collect.sources.find((s) => s.fanOut)!;
        const map = allStates(definition).find((s) => s.name === "readings: fan out")!.state;
        assert.ok(map.Type === "Map");
        assert.deepEqual(map.ItemReader, {
            Resource: "arn:aws:states:::s3:getObject",
            ReaderConfig: { InputType: "JSON", MaxItems: readings.fanOut!.maxItems },
            Parameters: { Bucket: BUCKET, Key: readings.fanOut!.itemList },
        });
        // 5 pages of 20 s (10 s fetch + 10 s store) plus 3 budgeted retries of 11 s: 133 s per id, so 2 of the 4 configured ids fit 300 s.
        assert.deepEqual(map.ItemBatcher, { MaxItemsPerBatch: 2, BatchInput: { "run.$": "$.run" } });
        assert.match(map.Comment ?? "", /batches of 2 id\(s\) \(4 configured, cut to fit\).*\(266 s\), within Express's 300 s/);
        assert.equal(map.ToleratedFailurePercentage, readings.fanOut!.toleratedFailurePercentage);
        assert.deepEqual(map.ItemProcessor.ProcessorConfig, { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" });
        assert.equal(map.Label, "readings");
    });

    it("in an Express child, cuts each attempt at the API's attemptTimeoutSeconds and retries from one budget per child: no Task retries on its own", () => {
        let fetches = 0;
        for (const { name, state } of allStates(definition)) {
            if (state.Type !== "Task" || !/(fetch|store) page$/.test(name)) continue;
            fetches++;
            const limits = collect.apiLimits[name.startsWith("posts") || name.startsWith("mentions") ? "social" : "telemetry"];
            const step = name.endsWith("fetch page") ? "fetch" : "store";
            assert.equal(state.Retry, undefined, name);
            assert.equal(state.TimeoutSeconds, step === "fetch" ? limits.attemptTimeoutSeconds : 10, name);
            assert.deepEqual(state.Catch?.[0].Next, name.replace(/(fetch|store) page$/, `retry ${step}?`));
            assert.ok(state.Catch?.[0].ErrorEquals.includes("States.Timeout"));
            const failed = name.replace(/(fetch|store) page$/, "failed");
            // The JSONata fetch keeps its input and adds the error, as the JSONPath store's `ResultPath: "$.error"` does.
            assert.deepEqual(
                state.Catch?.[1],
                step === "fetch" ? keepInputCatcher(["States.ALL"], failed) : { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: failed },
            );
            const check = allStates(definition).find((s) => s.name === name.replace(/(fetch|store) page$/, `retry ${step}?`))!.state;
            assert.deepEqual(check.Type === "Choice" && check.Choices, [
                { Variable: "$retries", NumericLessThan: limits.retryBudget, Next: name.replace(/(fetch|store) page$/, `wait to ${step}`) },
            ]);
            const wait = allStates(definition).find((s) => s.name === name.replace(/(fetch|store) page$/, `wait to ${step}`))!.state;
            assert.deepEqual(wait, { Type: "Wait", Seconds: limits.retryAfterSeconds, Assign: { "retries.$": "States.MathAdd($retries, 1)" }, Next: name });
        }
        assert.equal(fetches, 2 * collect.sources.length);
    });

    it("falls back to Standard children, saying why, when a source's worst case cannot fit Express's 5 minutes", () => {
        const slow = {
            ...collect,
            apiLimits: Object.fromEntries(Object.entries(collect.apiLimits).map(([api, l]) => [api, { ...l, attemptTimeoutSeconds: 60, retryBudget: 20 }])),
        };
        const maps = allStates(definitionOf(slow)).filter((s) => s.state.Type === "Map" && s.state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED");
        assert.equal(maps.length, 3);
        for (const { name, state } of maps) {
            assert.deepEqual(state.Type === "Map" && state.ItemProcessor.ProcessorConfig, { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, name);
            assert.match(state.Comment ?? "", /more than Express's 300 s; Standard children: /, name);
        }
    });

    it("retries a 429 no sooner than the API's Retry-After (no jitter, doubling, 5 times), 500/502/503/504 and socket errors 4 times with full jitter, and nothing else, in Standard children", () => {
        let fetches = 0;
        const slow = {
            ...collect,
            apiLimits: Object.fromEntries(Object.entries(collect.apiLimits).map(([api, l]) => [api, { ...l, attemptTimeoutSeconds: 60, retryBudget: 20 }])),
        };
        for (const { name, state } of allStates(definitionOf(slow))) {
            if (state.Type !== "Task" || !name.endsWith("fetch page")) continue;
            fetches++;
            const limits = collect.apiLimits[name.startsWith("posts") || name.startsWith("mentions") ? "social" : "telemetry"];
            assert.deepEqual(state.Retry, [
                {
                    ErrorEquals: ["States.Http.StatusCode.429"],
                    IntervalSeconds: limits.retryAfterSeconds,
                    MaxAttempts: 5,
                    BackoffRate: 2,
                    MaxDelaySeconds: 60,
                    JitterStrategy: "NONE",
                },
                {
                    ErrorEquals: [
                        "States.Http.StatusCode.500",
                        "States.Http.StatusCode.502",
                        "States.Http.StatusCode.503",
                        "States.Http.StatusCode.504",
                        "States.Http.Socket",
                    ],
                    IntervalSeconds: 1,
                    MaxAttempts: 4,
                    BackoffRate: 2,
                    MaxDelaySeconds: 20,
                    JitterStrategy: "FULL",
                },
            ]);
            assert.deepEqual(state.Catch, [keepInputCatcher(["States.ALL"], name.replace(/fetch page$/, "failed"))]);
        }
        assert.equal(fetches, collect.sources.length);
    });

    it("keeps a batch's result small whatever its ids fail with, so 800 batches fit the Map's 256 KiB", async () => {
        const summary = allStates(definition).find((s) => s.name === "readings: batch summary")!.state as { Output: string };
        const long = "x".repeat(5000);
        const results = Array.from({ length: 50 }, (_, i) => ({
            source: "readings",
            item: `${long}${i}`,
            status: "FAILED",
            pages: 1000,
            items: 100000,
            error: long,
            cause: long,
        }));
        const worst = await evaluateTemplate(summary.Output, { states: { input: { Items: [], results }, context: {} } });
        assert.ok(Buffer.byteLength(JSON.stringify(worst)) <= MAX_BATCH_RESULT_BYTES, JSON.stringify(worst));
        assert.ok(MAX_BATCHES * (MAX_BATCH_RESULT_BYTES + 1) <= 200 * 1024);
        const failed = allStates(definition).find((s) => s.name === "posts: failed")!.state as { Output: string };
        const out = (await evaluateTemplate(failed.Output, {
            states: { input: { page: 2, items: 3, error: { Error: "E", Cause: long } }, context: {} },
        })) as Record<string, unknown>;
        assert.deepEqual([out.status, out.pages, out.items, String(out.cause).length], ["FAILED", 2, 3, 512]);
    });

    it("stores every page under `<source>/<yyyy>/<mm>/<dd>/<execution>/<page>.json`, never a ResultSelector path that could be States.Runtime", () => {
        const stores = allStates(definition).filter((s) => s.state.Type === "Task" && s.state.Resource === "arn:aws:states:::aws-sdk:s3:putObject");
        assert.equal(stores.length, collect.sources.length);
        for (const { name, state } of stores) {
            assert.ok(state.Type === "Task");
            const source = name.split(":")[0];
            assert.match(
                String(state.Parameters!["Key.$"]),
                new RegExp(
                    `^States\\.Format\\('${source}/\\{\\}/\\{\\}/\\{\\}/\\{\\}/(\\{\\}\\.)?\\{\\}\\.json', \\$\\.run\\.yyyy, \\$\\.run\\.mm, \\$\\.run\\.dd, \\$\\.run\\.execution`,
                ),
            );
        }
        for (const { state } of allStates(definition))
            if (state.Type === "Task" && state.Resource.endsWith("http:invoke")) assert.equal(state.ResultSelector, undefined);
    });
});

describe("the collection's derived IAM (probes)", () => {
    const collect = devCollect();
    const policy = policyOf(definitionOf(collect));
    const allowed = (action: string, resource: string) => isAllowed(policy, { action, resource });
    const s3 = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;

    it("writes pages only under each source's prefix, in the run's key layout", () => {
        assert.ok(allowed("s3:PutObject", s3("devices/2026/11/25/exec-1/1.json")));
        assert.ok(allowed("s3:PutObject", s3("readings/2026/11/25/exec-1/dev-0001.3.json")));
        assert.ok(!allowed("s3:PutObject", s3("inputs/devices.json")), "the item list is not writable");
        assert.ok(!allowed("s3:PutObject", s3("other/2026/11/25/exec-1/1.json")));
        assert.ok(!allowed("s3:PutObject", s3("devices.json")));
        assert.ok(!allowed("s3:PutObject", s3("devices/x.txt")));
        assert.ok(!allowed("s3:PutObject", `arn:aws:s3:::another-bucket/devices/2026/11/25/exec-1/1.json`));
        const resources = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("s3:"))).flatMap((s) => s.Resource);
        assert.ok(
            resources.every((r) => r.startsWith(`arn:aws:s3:::${BUCKET}/`) && !r.endsWith(`${BUCKET}/*`)),
            resources.join(", "),
        );
    });

    it("reads exactly the item list, and nothing else of S3", () => {
        assert.ok(allowed("s3:GetObject", s3("inputs/devices.json")));
        assert.ok(!allowed("s3:GetObject", s3("inputs/other.json")));
        assert.ok(!allowed("s3:GetObject", s3("devices/2026/11/25/exec-1/1.json")));
        for (const action of ["s3:ListBucket", "s3:DeleteObject", "s3:GetObject", "s3:PutObjectAcl"])
            assert.ok(!allowed(action, `arn:aws:s3:::${BUCKET}`), action);
    });

    it("starts only its own child executions, describes its own executions and manages only that Map Run's children", () => {
        assert.ok(allowed("states:StartExecution", MACHINE));
        assert.ok(!allowed("states:StartExecution", MACHINE.replace(/collect$/, "order")));
        const child = "arn:aws:states:eu-west-1:123456789012:execution:sfn-http-workflows-dev-collect/readings:0f1e";
        const own = "arn:aws:states:eu-west-1:123456789012:execution:sfn-http-workflows-dev-collect:manual-run";
        // AWS's Distributed Map policy page lists DescribeExecution on `execution:<machine>:*` as the minimum.
        assert.ok(allowed("states:DescribeExecution", own));
        assert.ok(!allowed("states:DescribeExecution", own.replace("-collect:", "-order:")));
        // Express children are not redriven one by one: a redriven Map Run starts them anew (docs/aws-facts.md §20).
        assert.ok(!allowed("states:RedriveExecution", child));
        for (const action of ["states:DescribeExecution", "states:StopExecution"]) {
            assert.ok(allowed(action, child), action);
            if (action !== "states:DescribeExecution") assert.ok(!allowed(action, own), action);
            assert.ok(!allowed(action, "arn:aws:states:eu-west-1:123456789012:execution:sfn-http-workflows-dev-order/readings:0f1e"), action);
        }
        const actions = policy.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith("states:"));
        assert.deepEqual([...new Set(actions)].sort(), [
            "states:DescribeExecution",
            "states:InvokeHTTPEndpoint",
            "states:StartExecution",
            "states:StopExecution",
        ]);
    });

    it("grants RedriveExecution on Standard children only", () => {
        const slow = {
            ...collect,
            apiLimits: Object.fromEntries(Object.entries(collect.apiLimits).map(([api, l]) => [api, { ...l, attemptTimeoutSeconds: 60, retryBudget: 20 }])),
        };
        const child = "arn:aws:states:eu-west-1:123456789012:execution:sfn-http-workflows-dev-collect/readings:0f1e";
        assert.ok(isAllowed(policyOf(definitionOf(slow)), { action: "states:RedriveExecution", resource: child }));
    });

    it("lets each Map Run's children call their endpoints under either state machine ARN, and no other label", () => {
        const call = (resource: string, endpoint: string) =>
            isAllowed(policy, { action: "states:InvokeHTTPEndpoint", resource, context: { "states:HTTPMethod": "GET", "states:HTTPEndpoint": endpoint } });
        const readings = `${settingsOf().apis.telemetry.baseUrl}/devices/dev-0001/readings`;
        assert.ok(call(MACHINE, readings));
        assert.ok(call(`${MACHINE}/readings`, readings));
        assert.ok(!call(`${MACHINE}/sources_social`, readings));
        assert.ok(!call(`${MACHINE.replace(/collect$/, "order")}/readings`, readings));
        // The fan-out fetch is a JSONata Task: its grant comes from the literal parts of `Arguments.ApiEndpoint`.
        const base = settingsOf().apis.telemetry.baseUrl;
        assert.ok(!call(`${MACHINE}/readings`, `${base}/devices/dev-0001/other`));
        assert.ok(!call(`${MACHINE}/readings`, `${base}/other/dev-0001/readings`));
        assert.ok(!call(`${MACHINE}/readings`, `${base.replace(/^https:\/\/[^/]+/, "https://evil.example")}/devices/dev-0001/readings`));
    });

    it("puts events on exactly the configured bus, and grants nothing on `*`", () => {
        assert.ok(allowed("events:PutEvents", BUS));
        assert.ok(!allowed("events:PutEvents", BUS.replace(/default$/, "other")));
        assert.deepEqual(
            policy.Statement.filter((s) => s.Resource.includes("*")),
            [],
        );
    });

    it("refuses what it cannot scope: a key that starts with a placeholder, a dynamic bucket or bus, a Distributed Map without a label", () => {
        assert.throws(
            () => s3PutObject({ bucket: BUCKET, key: format("{}/x.json", jsonPath("$.a")), body: jsonPath("$.b"), transition: { End: true } }),
            /starts with a placeholder/,
        );
        const store = (parameters: Record<string, unknown>): StateMachineDefinition => ({
            StartAt: "S",
            States: { S: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:putObject", Parameters: parameters as never, End: true } },
        });
        assert.throws(() => policyOf(store({ "Bucket.$": "$.b", Key: "a/b.json" })), /literal `Bucket`/);
        assert.throws(() => policyOf(store({ Bucket: BUCKET, "Key.$": "$.key" })), /literal prefix/);
        assert.throws(() => policyOf(store({ Bucket: BUCKET, "Key.$": "States.Format('x{}', $.k)" })), /literal prefix/);
        const bus: StateMachineDefinition = {
            StartAt: "E",
            States: {
                E: {
                    Type: "Task",
                    Resource: "arn:aws:states:::events:putEvents",
                    Parameters: { Entries: [{ "EventBusName.$": "$.bus", Source: "s", DetailType: "d" }] },
                    End: true,
                },
            },
        };
        assert.throws(() => policyOf(bus), /literal `EventBusName`/);
        const unlabelled: StateMachineDefinition = {
            StartAt: "M",
            States: {
                M: {
                    Type: "Map",
                    ItemProcessor: {
                        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
                        StartAt: "P",
                        States: { P: { Type: "Pass", End: true } },
                    },
                    End: true,
                },
            },
        };
        assert.throws(() => policyOf(unlabelled), /needs a `Label`/);
    });
});

describe("the page transform (the fetch Task's JSONata `Output`: it must never fail)", () => {
    const source = (pagination: SourceSettings["pagination"]): SourceSettings => ({
        name: "s",
        api: "a",
        path: "/items",
        query: { limit: "5" },
        pagination,
        itemsField: "data.list",
        fields: ["id", "v"],
        maxPages: 3,
    });
    const endpoint = '"https://api.example.com/v1/items"';
    const run = (s: SourceSettings, response: unknown, page = 0) =>
        evaluateTemplate(pageTransformExpression(s, endpoint, "https://api.example.com"), {
            states: { input: { source: "s", run: {}, page, items: 0 }, result: response, context: {} },
        }) as Promise<Record<string, unknown>>;
    const ok = (body: unknown, headers: Record<string, string[]> = {}) => ({ StatusCode: 200, Headers: headers, ResponseBody: body });

    it("keeps only the configured fields and follows a body cursor", async () => {
        const out = await run(
            source({ style: "cursor", cursorField: "next", cursorParam: "cursor" }),
            ok({ data: { list: [{ id: 1, v: 2, secret: 3 }] }, next: "abc" }),
        );
        assert.deepEqual([out.data, out.next, out.request, out.page, out.items], [[{ id: 1, v: 2 }], "fetch", { query: { limit: "5", cursor: "abc" } }, 1, 1]);
        const last = await run(source({ style: "cursor", cursorField: "next", cursorParam: "cursor" }), ok({ data: { list: [] }, next: null }));
        assert.equal(last.next, "done");
        // Many APIs leave the cursor out on the last page, or its parent object.
        const absent = await run(source({ style: "cursor", cursorField: "next", cursorParam: "cursor" }), ok({ data: { list: [{ id: 1 }] } }));
        assert.deepEqual([absent.next, absent.problem, absent.data], ["done", undefined, [{ id: 1 }]]);
        const nested = await run(source({ style: "cursor", cursorField: "meta.next", cursorParam: "cursor" }), ok({ data: { list: [{ id: 1 }] } }));
        assert.equal(nested.next, "done");
        const wrong = await run(source({ style: "cursor", cursorField: "next", cursorParam: "cursor" }), ok({ data: { list: [] }, next: { x: 1 } }));
        assert.deepEqual([wrong.next, wrong.problem], ["invalid", "The cursor `next` is a object"]);
    });

    it("numbers pages from firstPage and stops at the page cap", async () => {
        const s = source({ style: "page", pageParam: "p", firstPage: 1 });
        assert.deepEqual((await run(s, ok({ data: { list: [{ id: 1 }] } }), 0)).request, { query: { limit: "5", p: "2" } });
        assert.equal((await run(s, ok({ data: { list: [{ id: 1 }] } }), 2)).next, "cap");
        assert.equal((await run(s, ok({ data: { list: [] } }), 1)).next, "done");
    });

    it("follows a Link rel=next on the same endpoint only, decoding its query", async () => {
        const s = source({ style: "link" });
        const link = (value: string) => ok({ data: { list: [{ id: 1 }] } }, { link: [value] });
        const next = await run(s, link('<https://api.example.com/v1/items?after=p%2C1&limit=5>; rel="next", <https://api.example.com/v1/items>; rel="first"'));
        assert.deepEqual([next.next, next.request], ["fetch", { query: { after: "p,1", limit: "5" } }]);
        assert.equal((await run(s, link('</v1/items?after=2>; rel="next"'))).next, "fetch");
        assert.equal((await run(s, link('<https://api.example.com/v1/items?after=3>; rel="prev next"'))).next, "fetch");
        assert.equal((await run(s, link('<https://api.example.com/v1/items?after=4>; rel="next-archive"'))).next, "done");
        for (const hostile of [
            '<https://evil.example.com/v1/items?after=2>; rel="next"',
            '<https://api.example.com/v1/items/../admin?x=1>; rel="next"',
            '<https://api.example.com/v1/itemsX?x=1>; rel="next"',
            '<https://api.example.com/v1/items?x=%FF>; rel="next"',
            '<https://api.example.com/v1/items?x=%zz>; rel="next"',
        ]) {
            const out = await run(s, link(hostile));
            assert.equal(out.next, "invalid", hostile);
            assert.equal(typeof out.problem, "string");
        }
        assert.equal((await run(s, ok({ data: { list: [{ id: 1 }] } }))).next, "done");
    });

    it("names every malformed answer instead of throwing (500 seeded random answers)", async () => {
        const random = seededRandom(10);
        const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
        const values = (): unknown =>
            pick([null, 0, -1, 1.5, "", "x", "%", true, [], [1], {}, { id: 1 }, [{ id: "a", v: null }], { list: "no" }, "<a>; rel=next"]);
        const styles: SourceSettings["pagination"][] = [
            { style: "cursor", cursorField: "next", cursorParam: "c" },
            { style: "page", pageParam: "p", firstPage: 0 },
            { style: "link" },
        ];
        for (let i = 0; i < 500; i++) {
            const body = pick([values(), { data: values() }, { data: { list: values() }, next: values() }, { data: { list: [values(), values()] } }]);
            const headers = pick([
                undefined,
                null,
                "x",
                {},
                { link: values() },
                { Link: [String(values())] },
                { LINK: ['<https://api.example.com/v1/items?a=1>; rel="next"'] },
            ]);
            const out = await run(source(pick(styles)), pick([undefined, null, "text", { ResponseBody: body, Headers: headers }]));
            assert.ok(["fetch", "done", "cap", "invalid"].includes(String(out.next)), JSON.stringify(out));
            assert.ok(Array.isArray(out.data));
            if (out.next === "invalid") assert.equal(typeof out.problem, "string");
        }
    });
});
