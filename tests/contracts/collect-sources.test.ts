/**
 * The collection's source contracts (`deploy/apis/<api>/openapi.yaml` of each API the dev stack's sources call),
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
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { deviceIds } from "../../tools/sandbox/collect-apis";
import { SandboxExchange } from "../../tools/sandbox/http-server";
import { checkExchange, loadContract, readContract } from "../helpers/openapi";

const ROOT = path.join(__dirname, "..", "..");
/** The dev stack's sources, which the run below collects: the operations expected are derived from them. */
const SOURCES = stackSettings(readStackFile("dev", ROOT)).collect!.sources;
const APIS = [...new Set(SOURCES.map((s) => s.api))];

describe("collection source contracts (deploy/apis/<api>/openapi.yaml of the dev stack's sources, openapi-backend)", () => {
    const contracts: Record<string, OpenAPIBackend> = {};
    /** The operation of a source's request: its path with the fan-out's `{item}` filled with an id. */
    const operationOf = (source: (typeof SOURCES)[number]) =>
        contracts[source.api].matchOperation({ method: "GET", path: source.path.replace("{item}", "dev-0001"), headers: {}, query: {} });
    const exchanges: SandboxExchange[] = [];
    let dir: string;
    before(async function () {
        for (const api of APIS) contracts[api] = await loadContract(readContract(api));
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
        for (const api of APIS) {
            const called = SOURCES.filter((s) => s.api === api).map((s) => {
                const operation = operationOf(s);
                assert.ok(operation, `${api}'s contract has no operation for source \`${s.name}\` (GET ${s.path})`);
                return `${operation.operationId} GET ${operation.path}`;
            });
            assert.deepEqual([...new Set(called)].sort(), operations(contracts[api]).sort());
        }
    });

    it("every exchange conforms: method, path, query, credentials; status, body, headers", () => {
        const checked = exchanges.filter((e) => e.api in contracts).map((e) => ({ e, ...checkExchange(contracts[e.api], e) }));
        assert.ok(checked.length >= 50, `${checked.length} exchanges`);
        assert.deepEqual(
            checked.flatMap(({ e, problems }) => problems.map((p) => `${e.api} ${e.method} ${e.path} → ${e.status}: ${p}`)),
            [],
        );
        const seen = new Set(checked.map(({ operationId, e }) => `${operationId} ${e.status}`));
        // Every source answered; a fan-out's unknown id (`dev-9999`) answered 404.
        for (const source of SOURCES) {
            const operationId = operationOf(source)?.operationId;
            assert.ok(seen.has(`${operationId} 200`), `${source.name}: ${operationId} 200`);
            if (source.fanOut) assert.ok(seen.has(`${operationId} 404`), `${source.name}: ${operationId} 404`);
        }
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
