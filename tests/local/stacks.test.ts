/**
 * The sandbox runs every stack in the repository: `npm start -- --stack <s>`'s local stack, and the
 * definition `npm run synth` writes for the stack, run by `npm run local -- --sandbox <s>` with
 * the `connections.local.json` synth writes beside it. Also two OAuth APIs that share a client id.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../../tools/commands/local";
import { startLocalOrderStack } from "../../tools/local/order-stack";
import { SCENARIOS } from "../../tools/local/scenarios";
import { listStacks, readStackFile, stackSettings } from "../../tools/stack-file";
import { localConnections } from "../../tools/synth/local-connections";
import { writeSynthOutput } from "../../tools/synth/write";
import { synthStack } from "../helpers/pulumi";

const ROOT = path.join(__dirname, "..", "..");
const ORDER = path.join(ROOT, "tools", "examples", "order.json");
const success = SCENARIOS.find((s) => s.name === "success")!.order;

/** The collection's summary, the `output` of a run (`deploy/workflows/collect/definition.ts`). */
type Summary = { pages: number; items: number; failedSources: string[]; sources: { source: string; status: string; pages: number; items: number }[] };

describe("the sandbox for every stack", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    for (const stack of listStacks(ROOT)) {
        it(`runs stack \`${stack}\`: its local stack, and its synthesized definition with --sandbox ${stack}`, async () => {
            const local = await startLocalOrderStack({ stack });
            try {
                assert.equal((await local.runner.run(success)).status, "SUCCEEDED");
            } finally {
                await local.close();
            }
            const stackFile = readStackFile(stack, ROOT);
            const result = await synthStack(stack);
            const out = path.join(tmp, stack);
            writeSynthOutput(result, out, [], { "connections.local.json": localConnections(stackSettings(stackFile), result.outputs) });
            const lines: string[] = [];
            const code = await runCli(
                [
                    ...["--definition", path.join(out, "order.asl.json"), "--input", ORDER],
                    ...["--connections", path.join(out, "connections.local.json"), "--region", stackFile.region, "--sandbox", stack, "--quiet"],
                ],
                { out: (l) => lines.push(l), err: () => undefined, colour: false },
            );
            assert.equal(code, 0, lines.join("\n"));
            assert.equal(JSON.parse(lines[lines.length - 1]).status, "SUCCEEDED");
            if (!fs.existsSync(path.join(out, "collect.asl.json"))) return;
            // The synthesized collection (real URLs, the mock bucket) against the collection sandbox, S3 in a temp folder.
            const input = path.join(out, "empty.json");
            fs.writeFileSync(input, "{}");
            const store = path.join(out, "s3");
            const collected: string[] = [];
            const collectCode = await runCli(
                [
                    ...["--definition", path.join(out, "collect.asl.json"), "--input", input, "--store", store],
                    ...["--connections", path.join(out, "connections.local.json"), "--region", stackFile.region, "--sandbox", stack, "--quiet"],
                ],
                { out: (l) => collected.push(l), err: () => undefined, colour: false },
            );
            assert.equal(collectCode, 0, collected.join("\n"));
            const summary = JSON.parse(collected[collected.length - 1]).output as Summary;
            assert.deepEqual(summary.failedSources, []);
            // The expectations come from the stack's own sources: a source a stack gains needs no edit here.
            const sources = stackSettings(stackFile).collect!.sources.map((s) => s.name);
            assert.deepEqual(summary.sources.map((s) => s.source).sort(), [...sources].sort());
            assert.deepEqual(
                summary.sources.filter((s) => s.status !== "SUCCEEDED" || s.pages === 0 || s.items === 0).map((s) => s.source),
                [],
            );
            assert.equal(
                summary.sources.reduce((n, s) => n + s.pages, 0),
                summary.pages,
            );
            const bucket = fs.readdirSync(store).find((b) => b.startsWith("collect-pages-"))!;
            const objects = fs
                .readdirSync(path.join(store, bucket), { recursive: true })
                .map(String)
                .filter((f) => f.endsWith(".json") && !f.startsWith("inputs"));
            // Every page with items is one object under its source's prefix: a source's last page may be empty, and is not stored.
            for (const s of summary.sources) {
                const stored = objects.filter((f) => f.split(path.sep)[0] === s.source).length;
                assert.ok(stored === s.pages || stored === s.pages - 1, `${s.source}: ${stored} objects for ${s.pages} pages`);
            }
            const items = objects.reduce((n, f) => n + (JSON.parse(fs.readFileSync(path.join(store, bucket, f), "utf8")) as unknown[]).length, 0);
            assert.equal(items, summary.items);
        });
    }

    it("serves two OAuth APIs that share a client id with other scopes", async () => {
        const dir = path.join(tmp, "shared-client");
        fs.mkdirSync(dir);
        const prod = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
        const inventory = [
            "  sfn-http-workflows:inventory:",
            "    baseUrl: https://inventory.example.com/api",
            "    auth:",
            "      type: oauth",
            "      tokenUrl: https://auth.shipping.example.com/oauth2/token",
            "      clientId: sfn-orders",
            "      tokenParameters:",
            "        bodies:",
            "          grant_type: client_credentials",
            "          scope: inventory:write",
            "",
        ].join("\n");
        const shared = prod.replace(/ {2}sfn-http-workflows:inventory:\n(?: {4}.*\n)+/, inventory);
        assert.notEqual(shared, prod);
        fs.writeFileSync(path.join(dir, "Pulumi.shared.yaml"), shared);
        const local = await startLocalOrderStack({ stack: "shared", rootDir: dir });
        try {
            assert.deepEqual(
                [local.sandbox.connections.inventory.AuthorizationType, local.sandbox.connections.shipping.AuthorizationType],
                ["OAUTH_CLIENT_CREDENTIALS", "OAUTH_CLIENT_CREDENTIALS"],
            );
            assert.equal((await local.runner.run(success)).status, "SUCCEEDED");
            assert.equal(local.sandbox.ledger.of("token").length, 2);
        } finally {
            await local.close();
        }
    });
});
