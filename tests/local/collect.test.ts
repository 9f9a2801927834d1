import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { retried429 } from "../../tools/local/collect-run";
import { LOCAL_BUCKET, NoLocalSandboxError, startLocalCollectStack } from "../../tools/local/collect-stack";
import { LocalRunner } from "../../tools/local/runner";
import { TaskError } from "../../tools/emulator/errors";
import { Outbox } from "../../tools/emulator/sns";
import { deviceIds } from "../../tools/sandbox/collect-apis";

/**
 * The tests' own stack (`tests/fixtures/stacks/Pulumi.collect.yaml`): the page counts below are its sources' against the
 * sandbox's data, so a change to a repository stack's sources, hosts or paths leaves them as they are.
 */
const FIXTURES = path.join(__dirname, "..", "fixtures", "stacks");
const FIXTURE = { stack: "collect", rootDir: FIXTURES } as const;

type Summary = {
    pages: number;
    items: number;
    sources: { source: string; status: string; pages: number; items: number; error?: string }[];
    failedSources: string[];
};

describe("a local collection (the fixture stack's sources against the sandbox)", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-test-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("pages every style, waits out a 429 burst, stores each page with only the kept fields, and publishes the summary", async () => {
        // One 429 window (the 6th social request) keeps the wait to one Retry-After.
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, trace: true, data: { burstEvery: 6 } });
        try {
            const result = await local.runner.run({}, "run-1");
            assert.equal(result.status, "SUCCEEDED", `${result.error}: ${result.cause}`);
            assert.ok(retried429(result) >= 1, "a 429 was retried");
            const summary = local.outbox.events[0].detail as Summary;
            const by = Object.fromEntries(summary.sources.map((s) => [s.source, s]));
            // 12 devices at 5 a page; 45 posts at 10; 25 mentions at 10 (and an empty 4th page); 12 devices × 30 readings at 10.
            assert.deepEqual(
                ["devices", "posts", "mentions", "readings"].map((s) => [by[s].status, by[s].pages, by[s].items]),
                [
                    ["SUCCEEDED", 3, 12],
                    ["SUCCEEDED", 5, 45],
                    ["SUCCEEDED", 4, 25],
                    ["SUCCEEDED", 36, 360],
                ],
            );
            const keys = local.store.written.map((o) => o.key);
            assert.equal(keys.length, summary.pages - 1, "every page with items is stored (the empty last mentions page is not)");
            for (const key of keys) assert.match(key, /^(devices|posts|mentions|readings)\/\d{4}\/\d{2}\/\d{2}\/run-1\/(dev-\d{4}\.)?\d+\.json$/);
            const page = JSON.parse(
                fs.readFileSync(
                    path.join(
                        dir,
                        LOCAL_BUCKET,
                        "posts",
                        ...keys
                            .find((k) => k.startsWith("posts/"))!
                            .split("/")
                            .slice(1),
                    ),
                    "utf8",
                ),
            );
            assert.deepEqual(Object.keys(page[0]).sort(), ["created_at", "id", "likes", "text"]);
            const stored = local.store.written.reduce(
                (n, o) => n + JSON.parse(fs.readFileSync(path.join(dir, o.bucket, ...o.key.split("/")), "utf8")).length,
                0,
            );
            assert.equal(stored, summary.items);
        } finally {
            await local.close();
        }
    });

    it("loses no other source's data when one fails: hostile and unknown ids fail the fan-out past its tolerance, the rest is stored and the run ends CollectionIncomplete", async () => {
        const itemIds = [...deviceIds(12), "../../etc/passwd", "dev-9999"];
        const paths: string[] = [];
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, itemIds, data: { burstEvery: 0 }, onExchange: (e) => paths.push(e.path) });
        try {
            const result = await local.runner.run({});
            assert.deepEqual([result.status, result.error], ["FAILED", "CollectionIncomplete"]);
            assert.match(result.cause ?? "", /readings/);
            const summary = local.outbox.events[0].detail as Summary;
            assert.deepEqual(summary.failedSources, ["readings"]);
            assert.ok(summary.sources.filter((s) => s.source !== "readings").every((s) => s.status === "SUCCEEDED" && s.pages > 0));
            // A bad id fails only itself: its batch stores the others' pages and counts it.
            assert.deepEqual(
                local.runner.mapRuns.filter((r) => r.state === "readings: fan out"),
                [{ state: "readings: fan out", executionType: "EXPRESS", items: 14, children: 7, failedChildren: 0 }],
            );
            const readings = summary.sources.find((s) => s.source === "readings")! as Summary["sources"][number] & Record<string, unknown>;
            assert.deepEqual(
                [readings.status, readings.pages, readings.items, readings.ids, readings.failedIds, readings.error],
                ["FAILED", 36, 360, 14, 2, "ItemsFailed"],
            );
            assert.match(String(readings.cause), /^2 of 14 ids failed \(tolerated: 10%\), e\.g\. "\.\.\/\.\.\/etc\/passwd": InvalidItem$/);
            const keys = local.store.written.map((o) => o.key);
            assert.ok(keys.some((k) => k.startsWith("posts/")) && keys.some((k) => k.startsWith("readings/")), "pages stored before the failure stay");
            assert.ok(!keys.some((k) => k.includes("..") || k.includes("passwd")), "a hostile id never reaches a key");
            assert.ok(paths.includes("/devices/dev-9999/readings"), "the unknown id was asked for");
            assert.ok(!paths.some((p) => p.includes("..") || p.includes("passwd") || p.includes("%2E")), "a hostile id never reaches a URL");
        } finally {
            await local.close();
        }
    });

    it("isolates what no Catch can: a page over 256 KiB fails only its source's child execution", async () => {
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, data: { burstEvery: 0, postPadding: 30_000 } });
        try {
            const result = await local.runner.run({});
            assert.deepEqual([result.status, result.error], ["FAILED", "CollectionIncomplete"]);
            const summary = local.outbox.events[0].detail as Summary;
            assert.deepEqual(summary.failedSources, ["posts"]);
            const posts = summary.sources.find((s) => s.source === "posts")!;
            assert.equal(posts.error, "SourceExecutionFailed");
            assert.deepEqual(
                summary.sources.filter((s) => s.source !== "posts").map((s) => [s.source, s.status]),
                [
                    ["mentions", "SUCCEEDED"],
                    ["devices", "SUCCEEDED"],
                    ["readings", "SUCCEEDED"],
                ],
            );
            const failedPostsRun = local.runner.mapRuns.find((r) => r.state === "API social: sources");
            assert.deepEqual(failedPostsRun, { state: "API social: sources", executionType: "EXPRESS", items: 2, children: 2, failedChildren: 1 });
        } finally {
            await local.close();
        }
    });

    it("still publishes a summary naming every source when a whole branch fails", async () => {
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, data: { burstEvery: 0 } });
        try {
            const definition = JSON.parse(JSON.stringify(local.definition)) as { States: { Collect: { Branches: { States: Record<string, unknown> }[] } } };
            // A branch that cannot run at all: its first state calls a closed loopback port (a catchable socket error).
            definition.States.Collect.Branches[1].States["API telemetry: plan"] = {
                Type: "Task",
                Resource: "arn:aws:states:::http:invoke",
                Parameters: { ApiEndpoint: "http://127.0.0.1:9/closed", Method: "GET", Authentication: { ConnectionArn: [...local.connections.keys()][0] } },
                Next: "API telemetry: sources",
            };
            const runner = new LocalRunner(definition, { http: local.runner["options"].http, outbox: local.outbox, store: local.store });
            const result = await runner.run({});
            assert.deepEqual([result.status, result.error], ["FAILED", "CollectionIncomplete"]);
            const summary = local.outbox.events[0].detail as Summary & { error: string };
            assert.deepEqual([summary.failedSources, summary.error], [["devices", "readings", "posts", "mentions"], "States.Http.Socket"]);
        } finally {
            await local.close();
        }
    });

    it("refuses, with a named error, a collection that calls an API the sandbox cannot stand in for (npm start skips it on that error)", async () => {
        const fixture = fs.readFileSync(path.join(FIXTURES, "Pulumi.collect.yaml"), "utf8");
        const weather = ["  sfn-http-workflows:weather:", "    baseUrl: https://api.weather.example.com", "    auth:", "      type: none", ""].join("\n");
        const source = [
            "      forecasts:",
            "        api: weather",
            "        path: /forecasts",
            "        pagination:",
            "          style: link",
            "        itemsField: list",
            "        fields: [id]",
            "",
        ].join("\n");
        const withWeather = fixture
            .replace("  sfn-http-workflows:collect:\n", `${weather}  sfn-http-workflows:collect:\n`)
            .replace("    sources:\n", `    sources:\n${source}`);
        assert.notEqual(withWeather, fixture);
        fs.writeFileSync(path.join(dir, "Pulumi.weather.yaml"), withWeather);
        await assert.rejects(
            startLocalCollectStack({ stack: "weather", rootDir: dir, storeDir: dir }),
            (e: Error) => e instanceof NoLocalSandboxError && /also calls weather/.test(e.message),
        );
    });

    it("reports a fan-out PARTIAL when its failed ids stay within the tolerance, and the run succeeds", async () => {
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, itemIds: [...deviceIds(12), "not/an id"], data: { burstEvery: 0 } });
        try {
            const result = await local.runner.run({});
            assert.equal(result.status, "SUCCEEDED", result.cause);
            const readings = (local.outbox.events[0].detail as Summary).sources.find((s) => s.source === "readings") as Record<string, unknown>;
            // 1 of 13 ids (7.7%) is within the fixture's 10%.
            assert.deepEqual([readings.status, readings.ids, readings.failedIds, readings.pages, readings.error], ["PARTIAL", 13, 1, 36, undefined]);
        } finally {
            await local.close();
        }
    });

    it("names a fan-out failed when its item list cannot be read, and keeps the other sources", async () => {
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, data: { burstEvery: 0 } });
        try {
            fs.rmSync(path.join(dir, LOCAL_BUCKET, "inputs", "devices.json"));
            const result = await local.runner.run({});
            assert.deepEqual([result.status, result.error], ["FAILED", "CollectionIncomplete"]);
            const summary = local.outbox.events[0].detail as Summary;
            const readings = summary.sources.find((s) => s.source === "readings")!;
            assert.deepEqual([readings.status, readings.error, readings.pages], ["FAILED", "States.ItemReaderFailed", 0]);
            assert.deepEqual(summary.failedSources, ["readings"]);
        } finally {
            await local.close();
        }
    });

    it("ends SummaryNotPublished when the summary event cannot be put, after the pages are stored", async () => {
        const local = await startLocalCollectStack({ ...FIXTURE, storeDir: dir, data: { burstEvery: 0 } });
        try {
            const refusing = new (class extends Outbox {
                override putEvents(): never {
                    throw new TaskError("EventBridge.FailedEntry", "AccessDeniedException");
                }
            })();
            const runner = new LocalRunner(local.definition, { http: local.runner["options"].http, outbox: refusing, store: local.store });
            const result = await runner.run({});
            assert.deepEqual([result.status, result.error], ["FAILED", "SummaryNotPublished"]);
            assert.equal(local.store.written.length, 47);
        } finally {
            await local.close();
        }
    });

    it("ends a source UnexpectedResponse on pages it cannot read, caps pages at maxPages, and reads at most maxItems ids", async () => {
        const fixture = fs.readFileSync(path.join(FIXTURES, "Pulumi.collect.yaml"), "utf8");
        const changed = fixture
            .replace("        itemsField: posts\n", "        itemsField: entries\n")
            .replace("        itemsField: results.items\n", "        itemsField: results.items\n        maxPages: 2\n")
            .replace("          maxItems: 1000\n", "          maxItems: 5\n");
        assert.equal((changed.match(/entries|maxPages: 2|maxItems: 5/g) ?? []).length, 3);
        fs.writeFileSync(path.join(dir, "Pulumi.changed.yaml"), changed);
        const local = await startLocalCollectStack({ stack: "changed", rootDir: dir, storeDir: dir, data: { burstEvery: 0 } });
        try {
            await local.runner.run({});
            const by = Object.fromEntries((local.outbox.events[0].detail as Summary).sources.map((s) => [s.source, s as Record<string, unknown>]));
            assert.deepEqual(
                [by.posts.status, by.posts.error, by.posts.cause, by.posts.pages],
                ["FAILED", "UnexpectedResponse", "The page has no `entries` array", 1],
            );
            assert.deepEqual([by.mentions.status, by.mentions.pages, by.mentions.items, by.mentions.capped], ["SUCCEEDED", 2, 20, true]);
            assert.deepEqual([by.readings.ids, by.readings.pages], [5, 15]);
        } finally {
            await local.close();
        }
    });
});
