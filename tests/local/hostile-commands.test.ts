/**
 * Issue 16, the sandbox APIs and the commands: a request or an argument that used to crash a
 * process, print a stack trace, write into the repository root or build a million orders up front
 * now ends in a named refusal. Every command runs in this process; nothing here reaches AWS.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runCli } from "../../tools/commands/local";
import { LocalOrderStack, startLocalOrderStack } from "../../tools/local/order-stack";
import { runSoak } from "../../tools/soak/soak-check";
import { testStateCommand } from "../../tools/commands/test-state";
import { runScript } from "../helpers/command";
import { rawRequest } from "../helpers/raw-http";
import { useTempDir } from "../helpers/temp-dir";

const ROOT = path.join(__dirname, "..", "..");
const ORDER = JSON.parse(fs.readFileSync(path.join(ROOT, "tools", "examples", "order.json"), "utf8")) as Record<string, unknown>;
const PASS = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };

describe("hostile input to the sandbox APIs and the commands (issue 16)", () => {
    const { write } = useTempDir("hostile-");

    describe("sandbox HTTP server", () => {
        let local: LocalOrderStack;
        before(async () => {
            local = await startLocalOrderStack();
        });
        after(() => local.close());

        it("answers `//[` with 400 on every sandbox API and keeps serving (it threw `Invalid URL` and killed the process)", async () => {
            for (const url of Object.values(local.sandbox.urls)) {
                const port = Number(new URL(url).port);
                const answer = await rawRequest(port, "GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close");
                assert.equal(answer.status, 400, url);
                const after = await rawRequest(port, "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close");
                assert.equal(after.status, 404, url);
            }
        });

        it("refuses a body that is not UTF-8 with 400 rather than reading U+FFFD", async () => {
            const port = Number(new URL(local.sandbox.urls.inventory).port);
            const body = Buffer.from('{"orderId":"Gr\xe2ce"}', "latin1");
            const head = `POST ${new URL(local.sandbox.urls.inventory).pathname}/reservations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close`;
            const answer = await rawRequest(port, head, body);
            assert.equal(answer.status, 400);
            assert.match(answer.body, /not valid UTF-8/);
        });
    });

    it("test-state with orderId `%E0%A4%A` answers in one line, no stack trace (an uncaught URIError killed the sandbox)", async () => {
        const input = write("bad-id.json", { ...ORDER, orderId: "%E0%A4%A" });
        const lines: string[] = [];
        const code = await testStateCommand(["--stack", "dev", "--state", "ReleaseInventory", "--input", input], {
            out: (l) => lines.push(l),
            err: (l) => lines.push(l),
        });
        assert.equal(code, 0);
        assert.equal(lines.length, 1, lines.join("\n"));
        assert.doesNotMatch(lines[0], /\n\s+at /);
        const response = JSON.parse(lines[0]) as { status: string; error: string };
        // The sandbox refuses the malformed percent-encoding as a real API would: 400, caught by the saga.
        assert.deepEqual([response.status, response.error], ["CAUGHT_ERROR", "States.Http.StatusCode.400"]);
    });

    describe("npm run local", () => {
        const run = async (...argv: string[]) => {
            const out: string[] = [];
            const err: string[] = [];
            const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), colour: false });
            return { code, out, err };
        };
        const args = (input: string, ...more: string[]) => [
            "--definition",
            write("pass.json", PASS),
            "--input",
            input,
            "--connections",
            write("c.json", {}),
            ...more,
        ];

        it("refuses `--region eu-west-9` by AWS's region list (the name pattern accepted it)", async () => {
            const { code, err } = await run(...args(write("in.json", {}), "--region", "eu-west-9"));
            assert.equal(code, 2);
            assert.equal(err[0], "`--region` `eu-west-9` is not an AWS Region; did you mean `eu-west-1`?");
            assert.equal((await run(...args(write("in.json", {}), "--region", "ap-southeast-7", "--quiet"))).code, 0);
        });

        it("refuses an 8 KB input nested 4,000 deep with a named error, exit 2 (it hung or ended in an unnamed RangeError)", async () => {
            const deep = write("deep.json", `${"[".repeat(4000)}${"]".repeat(4000)}`);
            const { code, err } = await run(...args(deep));
            assert.equal(code, 2);
            assert.equal(err[0], `The input file \`${deep}\` is refused: The JSON nests deeper than 128 levels.`);
        });

        it("refuses an input over StartExecution's 256 KiB before reading it", async () => {
            const big = write("big.json", JSON.stringify({ pad: "x".repeat(262_144) }));
            const { code, err } = await run(...args(big));
            assert.equal(code, 2);
            assert.match(err[0], /^The input file `.*big\.json` is 262154 bytes; at most 262144 are allowed\.$/);
        });
    });

    it('refuses `synth --out ""` (it wrote into the repository root)', async () => {
        const { code, stderr } = await runScript("tools/commands/synth.ts", "--stack", "dev", "--out", "");
        assert.equal(code, 2);
        assert.match(stderr, /^`--out` needs a folder, e\.g\. `out\/dev`\.\n/);
    });

    it("makes soak orders as they start: a million-order soak stopped at once built none (it built all 1,000,000 first, 4 GB)", async () => {
        const report = await runSoak({ orders: 1_000_000, faultRate: 0, seed: 1, deadlineMs: 0 });
        assert.equal(report.counts.orders, 0);
    });
});
