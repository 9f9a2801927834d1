import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LOCAL_BUCKET, startLocalCollectStack } from "../../tools/local/collect-stack";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { Outbox } from "../../tools/emulator/sns";
import { LocalRunner } from "../../tools/local/runner";
import { collectDefinition } from "../../deploy/workflows/collect/definition";
import { readStackFile, stackSettings } from "../../tools/stack-file";

type Summary = { sources: { source: string; status: string; pages: number; error?: string; cause?: string }[]; failedSources: string[] };

/**
 * Express children on the local engine, on a clock the test controls: each Wait state (a budgeted
 * retry) moves it by its seconds and waits 0 ms, so a child that waited past the limit is judged
 * `States.Timeout` as AWS would have stopped it (docs/aws-facts.md §20).
 */
describe("the collection's Express children on the local engine", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-express-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** The social API's sources only (one Map, one child at a time, so one clock serves them), with a 429 on the 6th request. */
    async function socialRun(limitSeconds: number) {
        // `retryAfterSeconds: 0`: the sandbox's 429 window closes at once, so the budgeted retry (0 ms here) is answered.
        const local = await startLocalCollectStack({ storeDir: dir, data: { burstEvery: 6, retryAfterSeconds: 0 } });
        let clock = 0;
        // The stack's real base URL, as deployed; the stack's routes lead it to the sandbox.
        const baseUrl = stackSettings(readStackFile(local.stack, path.join(__dirname, "..", ".."))).apis.social.baseUrl;
        const definition = collectDefinition({
            apis: { social: { baseUrl, connectionArn: local.connectionArns.social, limits: local.collect.apiLimits.social } },
            sources: local.collect.sources.filter((s) => s.api === "social"),
            bucket: LOCAL_BUCKET,
            eventBusName: local.collect.eventBusName,
        });
        const outbox = new Outbox();
        const runner = new LocalRunner(definition, {
            http: new HttpTaskEmulator({ connections: local.connections, region: local.region, routes: local.routes }),
            outbox,
            store: local.store,
            waitMs: (seconds) => ((clock += seconds * 1000), 0),
            expressLimit: { seconds: limitSeconds, now: () => clock },
        });
        return { local, runner, outbox, waited: () => clock };
    }

    it("fails a child that runs past the Express limit with States.Timeout: its source is reported failed by name, its stored pages stay", async () => {
        const { local, runner, outbox } = await socialRun(0.5);
        try {
            const result = await runner.run({}, "run-1");
            assert.deepEqual([result.status, result.error], ["FAILED", "CollectionIncomplete"]);
            const [run] = runner.mapRuns;
            assert.deepEqual(run, { state: "API social: sources", executionType: "EXPRESS", items: 2, children: 2, failedChildren: 1, timedOutChildren: 1 });
            const summary = outbox.events[0].detail as Summary;
            const failed = summary.sources.filter((s) => s.status === "FAILED");
            assert.equal(failed.length, 1);
            assert.equal(failed[0].error, "SourceExecutionFailed");
            assert.deepEqual(summary.failedSources, [failed[0].source]);
            // What the timed-out child stored stays in the bucket.
            assert.ok(local.store.written.some((o) => o.key.startsWith(`${failed[0].source}/`)));
        } finally {
            await local.close();
        }
    });

    it("keeps a child that waited within the limit, and a re-run of the same run overwrites the same keys (at-least-once is harmless)", async () => {
        const { local, runner, waited } = await socialRun(300);
        try {
            const first = await runner.run({}, "run-1");
            assert.equal(first.status, "SUCCEEDED", `${first.error}: ${first.cause}`);
            assert.equal(waited(), 1000, "the 429 was retried once from the budget, after retryAfterSeconds");
            const keys = local.store.written.map((o) => o.key).sort();
            assert.ok(keys.length >= 8);
            const again = await runner.run({}, "run-1");
            assert.equal(again.status, "SUCCEEDED");
            const rerun = local.store.written
                .slice(keys.length)
                .map((o) => o.key)
                .sort();
            assert.deepEqual(rerun, keys);
            const onDisk = fs
                .readdirSync(path.join(dir, LOCAL_BUCKET), { recursive: true })
                .filter((f) => String(f).endsWith(".json") && !String(f).startsWith("inputs"));
            assert.equal(onDisk.length, keys.length);
        } finally {
            await local.close();
        }
    });
});
