/**
 * The `npm run local` contract: the last stdout line is one JSON object; exit 0 SUCCEEDED, 1 FAILED,
 * 2 for bad usage or unreadable/invalid files. Runs the CLI in-process on a definition built the
 * way `npm run synth` builds `out/dev/order.asl.json`, with `--sandbox dev`, so nothing leaves
 * loopback; one test spawns the real script to check the process exit code. The connections file is
 * the `connections.local.json` synth writes for the stack (`tools/synth/local-connections.ts`), built
 * here from the dev stack file, so an API or connection a stack gains needs no edit here.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { remoteTargets, runCli } from "../../tools/commands/local";
import { parseConnections } from "../../tools/emulator/connections";
import { listStacks, readStackFile, stackSettings } from "../../tools/stack-file";
import { localConnectionArn } from "../../tools/local/order-stack";
import { localConnections } from "../../tools/synth/local-connections";
import { StackSettings } from "../../deploy/stack-config/types";
import { orderModule } from "../../deploy/workflows/order";
import { orderDefinition } from "../../deploy/workflows/order/definition";
import { stackOrderTargets } from "../helpers/asl";
import { useTempDir } from "../helpers/temp-dir";

const ROOT = path.join(__dirname, "..", "..");
const ORDER = path.join(ROOT, "tools", "examples", "order.json");

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[]; last: Record<string, unknown> | undefined }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), colour: false });
    const lastLine = out[out.length - 1];
    return { code, out, err, last: lastLine === undefined || !lastLine.startsWith("{") ? undefined : JSON.parse(lastLine) };
}

describe("npm run local (CLI)", () => {
    const temp = useTempDir("local-cli-");
    const write = temp.write;
    let definition: string;
    let settings: StackSettings;
    let region: string;
    /** The dev stack's `connections.local.json`, as `npm run synth -- --stack dev` writes it (the ARNs aside). */
    let CONNECTIONS: string;
    const origin = (url: string) => new URL(url).origin;
    // Hosts, paths and stack names come from the stack files: none is spelled here.
    const unknownStack = `${listStacks(ROOT).join("-")}-not-a-stack`;

    before(() => {
        const stackFile = readStackFile("dev", ROOT);
        settings = stackSettings(stackFile);
        region = stackFile.region;
        const arn = (api: string) => localConnectionArn(region, api);
        CONNECTIONS = write(
            "connections.local.json",
            localConnections(settings, { connectionArns: Object.fromEntries(orderModule.apis.map((api) => [api, arn(api)])) }),
        );
        definition = write(
            "order.asl.json",
            orderDefinition({ apis: stackOrderTargets(settings, arn), notificationTopicArn: `arn:aws:sns:${region}:123456789012:order-notifications` }),
        );
    });

    it("reads synth's connections file as CreateConnection-shaped: one connection per API of the saga, of the stack's auth type", () => {
        const connections = parseConnections(JSON.parse(fs.readFileSync(CONNECTIONS, "utf8")));
        // EventBridge's AuthorizationType for each auth type a stack file names (docs/aws-facts.md §7.1).
        const types: Record<string, string> = { apiKey: "API_KEY", basic: "BASIC", oauth: "OAUTH_CLIENT_CREDENTIALS" };
        assert.deepEqual(
            [...connections.values()].map((c) => c.AuthorizationType),
            orderModule.apis.map((api) => types[settings.apis[api].auth.type]),
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
            region,
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
        // The trace shows the URL the definition called, as AWS would; the route to the sandbox is not shown.
        assert.ok(
            out.some((l) => l.includes(`CreateShipment`) && l.includes(` POST ${settings.apis.shipping.baseUrl.replace(/\/+$/, "")}/shipments → 201`)),
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
            () => ["--definition", path.join(temp.dir, "nope.json"), "--input", ORDER, "--connections", CONNECTIONS],
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
            () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--sandbox", unknownStack],
            new RegExp(`^\`--sandbox ${unknownStack}\`: No stack file \`.*Pulumi\\.${unknownStack}\\.yaml\`; stacks here: ${listStacks(ROOT).join(", ")}\\.$`),
        ],
        [
            "a definition that would call real APIs, without --sandbox or --allow-network",
            () => ["--definition", definition, "--input", ORDER, "--connections", CONNECTIONS, "--region", region],
            /^The definition would call https:\/\/\S+, .* outside this machine: use `--sandbox <stack>`, or `--allow-network` to call it\.$/,
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

    it("finds every host outside loopback a definition and its connections would call, after the sandbox's routes", () => {
        const def = JSON.parse(fs.readFileSync(definition, "utf8")) as unknown;
        const connections = parseConnections(JSON.parse(fs.readFileSync(CONNECTIONS, "utf8")));
        const apis = orderModule.apis.map((api) => settings.apis[api]);
        const tokenUrls = [...connections.values()].flatMap((c) => c.AuthParameters.OAuthParameters?.AuthorizationEndpoint ?? []);
        assert.equal(tokenUrls.length, apis.filter((a) => a.auth.type === "oauth").length, "each OAuth API's connection has its token URL");
        // The hosts in the order the definition's states call them (not the order of the APIs): compared as sets.
        assert.deepEqual([...remoteTargets(def, connections, (url) => url)].sort(), [...new Set(apis.map((a) => origin(a.baseUrl)))].concat(tokenUrls).sort());
        const toLoopback = (url: string) => url.replace(/^https:\/\/[^/]+/, "http://127.0.0.1:9");
        assert.deepEqual(remoteTargets(def, connections, toLoopback), []);
    });

    it("exits 2 on bad usage, naming every missing option", async () => {
        const err: string[] = [];
        const code = await runCli([], { out: () => undefined, err: (l) => err.push(l), colour: false });
        assert.equal(code, 2);
        assert.match(err.join("\n"), /Missing `--definition`, `--input`, `--connections`\./);
    });
});
