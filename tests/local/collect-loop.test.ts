import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startLocalCollectStack } from "../../tools/local/collect-stack";

type Summary = { sources: { source: string; status: string; pages: number; error?: string; cause?: string }[] };

/**
 * Issue 16 item 4: an API that sends the collection back to a page it already fetched ends that
 * source with `PaginationLoop` and stores each page once. What this cannot prove: how a real API
 * loops; the sandbox loops the two ways the issue names (a repeated cursor, a self-`Link`).
 */
describe("a pagination loop (local collection against a careless sandbox)", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-loop-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = async (loop: "cursor" | "link") => {
        const local = await startLocalCollectStack({ storeDir: dir, data: { burstEvery: 0, loop } });
        try {
            const result = await local.runner.run({}, "run-loop");
            const summary = local.outbox.events[0].detail as Summary;
            const keys = local.store.written.map((o) => o.key);
            return { result, by: Object.fromEntries(summary.sources.map((s) => [s.source, s])), keys };
        } finally {
            await local.close();
        }
    };

    it("ends a source whose cursor repeats with PaginationLoop, after its two distinct pages, never storing a page twice", async () => {
        const { result, by, keys } = await run("cursor");
        assert.deepEqual([result.status, result.error], ["FAILED", "CollectionIncomplete"]);
        assert.deepEqual([by.devices.status, by.devices.error, by.devices.pages], ["FAILED", "PaginationLoop", 2]);
        assert.match(by.devices.cause ?? "", /repeats a request already made/);
        assert.deepEqual(
            keys.filter((k) => k.startsWith("devices/")).map((k) => k.split("/").pop()),
            ["1.json", "2.json"],
        );
        assert.equal(new Set(keys).size, keys.length, "no key written twice");
        // The sources that do not page by cursor are untouched.
        assert.deepEqual([by.posts.status, by.mentions.status], ["SUCCEEDED", "SUCCEEDED"]);
    });

    it("ends a source whose next Link is the page just fetched with PaginationLoop, storing that page once", async () => {
        const { by, keys } = await run("link");
        assert.deepEqual([by.posts.status, by.posts.error, by.posts.pages], ["FAILED", "PaginationLoop", 2]);
        assert.deepEqual(
            keys.filter((k) => k.startsWith("posts/")).map((k) => k.split("/").pop()),
            ["1.json", "2.json"],
        );
        assert.deepEqual([by.devices.status, by.readings.status], ["SUCCEEDED", "SUCCEEDED"]);
    });
});
