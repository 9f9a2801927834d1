/**
 * The collection's source contracts (`deploy/apis/telemetry/openapi.yaml`, `deploy/apis/social/openapi.yaml`),
 * checked with openapi-backend: every request the dev stack's collection sends to the sandbox and
 * every answer it gets, over a run with a 429 burst and a fan-out with a hostile and an unknown id.
 * A sandbox only proves that the collection and the sandbox agree with the contract, not that a real API does.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OpenAPIBackend } from "openapi-backend";
import { startLocalCollectStack } from "../../tools/local/collect-stack";
import { deviceIds } from "../../tools/sandbox/collect-apis";
import { SandboxExchange } from "../../tools/sandbox/http-server";
import { checkExchange, loadContract, readContract } from "../helpers/openapi";

describe("collection source contracts (deploy/apis/{telemetry,social}/openapi.yaml, openapi-backend)", () => {
    const contracts: Record<string, OpenAPIBackend> = {};
    const exchanges: SandboxExchange[] = [];
    let dir: string;
    before(async function () {
        contracts.telemetry = await loadContract(readContract("telemetry"));
        contracts.social = await loadContract(readContract("social"));
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "collect-contract-"));
        // One 429 window, and a fan-out over the devices plus an unknown one (a 404).
        const local = await startLocalCollectStack({
            storeDir: dir,
            data: { burstEvery: 6 },
            itemIds: [...deviceIds(12), "dev-9999"],
            onExchange: (e) => exchanges.push(e),
        });
        try {
            await local.runner.run({});
        } finally {
            await local.close();
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("are valid OpenAPI 3.0 documents with exactly the sources' calls", () => {
        const operations = (api: OpenAPIBackend) => api.getOperations().map((o) => `${o.operationId} ${o.method.toUpperCase()} ${o.path}`);
        assert.deepEqual(operations(contracts.telemetry), ["listDevices GET /devices", "listReadings GET /devices/{deviceId}/readings"]);
        assert.deepEqual(operations(contracts.social), ["listPosts GET /posts", "listMentions GET /mentions"]);
    });

    it("every exchange conforms: method, path, query, credentials; status, body, headers", () => {
        const checked = exchanges.filter((e) => e.api in contracts).map((e) => ({ e, ...checkExchange(contracts[e.api], e) }));
        assert.ok(checked.length >= 50, `${checked.length} exchanges`);
        assert.deepEqual(
            checked.flatMap(({ e, problems }) => problems.map((p) => `${e.api} ${e.method} ${e.path} → ${e.status}: ${p}`)),
            [],
        );
        const seen = new Set(checked.map(({ operationId, e }) => `${operationId} ${e.status}`));
        for (const expected of ["listDevices 200", "listReadings 200", "listReadings 404", "listPosts 200", "listMentions 200"])
            assert.ok(seen.has(expected), expected);
        assert.ok(
            [...seen].some((s) => s.endsWith(" 429")),
            "a 429 was answered",
        );
    });

    it("the checker rejects an answer that breaks the contract", () => {
        const page = exchanges.find((e) => e.api === "telemetry" && e.status === 200)!;
        assert.deepEqual(checkExchange(contracts.telemetry, page).problems, []);
        const broken = { ...page, responseBody: { data: "not a list", next_cursor: 5 } };
        assert.notDeepEqual(checkExchange(contracts.telemetry, broken).problems, []);
        const limited = exchanges.find((e) => e.status === 429)!;
        const noRetryAfter = {
            ...limited,
            responseHeaders: Object.fromEntries(Object.entries(limited.responseHeaders).filter(([k]) => k.toLowerCase() !== "retry-after")),
        };
        assert.ok(checkExchange(contracts[limited.api], noRetryAfter).problems.some((p) => /Retry-After/.test(p)));
    });
});
