/**
 * The `npm run local` contract: the last stdout line is one JSON object; exit 0 SUCCEEDED, 1 FAILED,
 * 2 for bad usage or unreadable/invalid files. Runs the CLI in-process on a definition built the
 * way `npm run synth` builds `out/dev/order.asl.json`, with `--sandbox dev`, so nothing leaves
 * loopback; one test spawns the real script to check the process exit code.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { remoteTargets, runCli } from "../../tools/commands/local";
import { parseConnections } from "../../tools/emulator/connections";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { orderDefinition } from "../../deploy/workflows/order/definition";

const ROOT = path.join(__dirname, "..", "..");
const CONNECTIONS = path.join(ROOT, "tools", "examples", "connections.dev.json");
const ORDER = path.join(ROOT, "tools", "examples", "order.json");

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[]; last: Record<string, unknown> | undefined }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), colour: false });
    const lastLine = out[out.length - 1];
    return { code, out, err, last: lastLine === undefined || !lastLine.startsWith("{") ? undefined : JSON.parse(lastLine) };
}

describe("npm run local (CLI)", () => {
    let dir: string;
    let definition: string;
    const write = (name: string, content: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
        return file;
    };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "local-cli-"));
        const settings = stackSettings(readStackFile("dev", ROOT));
        const arns = Object.keys(JSON.parse(fs.readFileSync(CONNECTIONS, "utf8")));
        const arn = (api: string) => arns.find((a) => a.includes(`/${api}-connection-`))!;
        const target = (api: "payment" | "inventory" | "shipping") => ({ baseUrl: settings.apis[api].baseUrl, connectionArn: arn(api) });
        definition = write(
            "order.asl.json",
            orderDefinition({
                payment: target("payment"),
                inventory: target("inventory"),
                shipping: target("shipping"),
                notificationTopicArn: "arn:aws:sns:eu-west-1:123456789012:order-notifications",
            }),
        );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("ships a connections example that is a valid CreateConnection-shaped file", () => {
        const connections = parseConnections(JSON.parse(fs.readFileSync(CONNECTIONS, "utf8")));
        assert.deepEqual(
            [...connections.values()].map((c) => c.AuthorizationType),
            ["API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS"],
        );
    });

    it("runs a synthesized definition against the sandbox: exit 0, last line SUCCEEDED with the output", async () => {
        const { code, out, last } = await cli(
            "--definition",
            definition,
            "--input",
            ORDER,
            "--connections",
            CONNECTIONS,
            "--region",
            "eu-west-1",
            "--sandbox",
            "dev",
        );
        assert.equal(code, 0);
        assert.equal(last?.status, "SUCCEEDED");
        assert.equal(last?.error, null);
        const output = last?.output as { orderId: string; payment: { intentId: string }; shipment: { trackingNumber: string } };
        assert.equal(output.orderId, "ord-2001");
        assert.match(output.payment.intentId, /^pi_[A-Za-z0-9]+$/);
        assert.match(output.shipment.trackingNumber, /^1ZLOCAL\d{10}$/);
        assert.ok(
            out.some((l) => /CreateShipment .* POST http:\/\/127\.0\.0\.1:\d+\/v2\/shipments → 201/.test(l)),
            out.join("\n"),
        );
    });

    it("exits 1 with FAILED, the error and the cause when the execution fails", async () => {
        const declined = write("declined.json", { ...JSON.parse(fs.readFileSync(ORDER, "utf8")), paymentMethod: "pm_card_chargeDeclinedInsufficientFunds" });
        const { code, last } = await cli("--definition", definition, "--input", declined, "--connections", CONNECTIONS, "--sandbox", "dev", "--quiet");
        assert.equal(code, 1);
        assert.deepEqual(last, {
            status: "FAILED",
            output: null,
            error: "PaymentDeclined",
            // The 402's status text carries no reason: the saga finds the declined intent by search and reads it.
            cause: "Stripe did not authorize the payment: insufficient_funds",
        });
    });

    const usage: [string, () => string[], RegExp][] = [
        ["a missing option", () => ["--definition", definition, "--input", ORDER], /^Missing `--connections`\.$/],
        ["an unknown option", () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--bogus"], /Unknown option '--bogus'/],
        [
            "an unreadable file",
            () => ["--definition", path.join(dir, "nope.json"), "--input", ORDER, "--connections", CONNECTIONS],
            /^Cannot read the definition file `.*nope\.json`: ENOENT\.$/,
        ],
        [
            "invalid JSON",
            () => ["--definition", definition, "--input", write("bad.json", "{oops"), "--connections", CONNECTIONS],
            /^The input file `.*bad\.json` is not valid JSON/,
        ],
        [
            "an invalid connections file",
            () => ["--definition", definition, "--input", ORDER, "--connections", write("conn.json", { "not-an-arn": {} })],
            /^Invalid connections: `not-an-arn` is not an EventBridge connection ARN/,
        ],
        [
            "a definition AWS would reject",
            () => [
                "--definition",
                write("plain.json", {
                    StartAt: "A",
                    States: {
                        A: {
                            Type: "Task",
                            Resource: "arn:aws:states:::http:invoke",
                            Parameters: { ApiEndpoint: "http://api.example.com", Method: "GET", Authentication: { ConnectionArn: "x" } },
                            End: true,
                        },
                    },
                }),
                "--input",
                ORDER,
                "--connections",
                CONNECTIONS,
            ],
            /must use `https:\/\/`/,
        ],
        [
            "an unknown sandbox stack",
            () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--sandbox", "staging"],
            /^`--sandbox staging`: No stack file `.*Pulumi\.staging\.yaml`; stacks here: dev, prod\.$/,
        ],
        [
            "a definition that would call real APIs, without --sandbox or --allow-network",
            () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--region", "eu-west-1"],
            /^The definition would call https:\/\/api\.stripe\.com, https:\/\/inventory\.dev\.example\.com, .* outside this machine: use `--sandbox <stack>`, or `--allow-network` to call it\.$/,
        ],
        ["an empty --store", () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--store", " "], /^`--store` needs a folder/],
        [
            "an S3 write to a bucket name S3 would refuse",
            () => [
                "--definition",
                write("bad-bucket.json", {
                    StartAt: "S",
                    States: {
                        S: { Type: "Task", Resource: "arn:aws:states:::aws-sdk:s3:putObject", Parameters: { Bucket: "../up", Key: "k", Body: "b" }, End: true },
                    },
                }),
                "--input",
                ORDER,
                "--connections",
                CONNECTIONS,
                "--store",
                path.join(os.tmpdir(), "cli-bad-bucket"),
            ],
            /^State `S`: `\.\.\/up` is not a bucket name\.$/,
        ],
        [
            "a bad region",
            () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--region", "mars"],
            /`--region` `mars` is not an AWS Region such as `us-east-1`/,
        ],
    ];
    for (const [what, args, message] of usage) {
        it(`exits 2 with a clear message for ${what}`, async () => {
            const { code, out, err } = await cli(...args());
            assert.equal(code, 2);
            assert.deepEqual(out, []);
            assert.match(err[0], message);
            assert.match(err[1], /^usage: npm run local -- --definition/);
        });
    }

    it("prints the usage on stdout and exits 0 for --help", async () => {
        const { code, out, err } = await cli("--help");
        assert.equal(code, 0);
        assert.deepEqual(err, []);
        assert.match(out[0], /^usage: npm run local -- --definition <asl\.json> .*\[--allow-network\]/);
    });

    it("finds every host outside loopback a definition and its connections would call, after the sandbox's rewrite", () => {
        const def = JSON.parse(fs.readFileSync(definition, "utf8")) as unknown;
        const connections = parseConnections(JSON.parse(fs.readFileSync(CONNECTIONS, "utf8")));
        assert.deepEqual(
            remoteTargets(def, connections, (url) => url),
            [
                "https://api.stripe.com",
                "https://inventory.dev.example.com",
                "https://sandbox.shipping.example.com",
                "https://auth.sandbox.shipping.example.com/oauth2/token",
            ],
        );
        const toLoopback = (url: string) => url.replace(/^https:\/\/[^/]+/, "http://127.0.0.1:9");
        assert.deepEqual(remoteTargets(def, new Map(), toLoopback), []);
    });

    it("exits 2 on bad usage, naming every missing option", async () => {
        const err: string[] = [];
        const code = await runCli([], { out: () => undefined, err: (l) => err.push(l), colour: false });
        assert.equal(code, 2);
        assert.match(err.join("\n"), /Missing `--definition`, `--input`, `--connections`\./);
    });
});
