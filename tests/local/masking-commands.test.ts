/**
 * One masking rule through every command: canary credentials (an API key, a secret header, a
 * numeric secret body parameter, Basic credentials and their base64, an OAuth client secret and
 * the access token the token endpoint issues) are echoed back by an API in 2xx bodies, and must not
 * appear in anything `npm run local` prints (trace or `--quiet`, SUCCEEDED or FAILED), in synth's
 * files, or in TestState's answer. In-process: no ts-node spawn.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../../tools/commands/local";
import { ConnectionSpec } from "../../tools/emulator/connections";
import { mask } from "../../tools/emulator/redact";
import { maskDeep } from "../../tools/test-state/format";
import { SynthResult } from "../../tools/synth/run-program";
import { secretLeaves, writeSynthOutput } from "../../tools/synth/write";
import { useEcho } from "./echo";

const arn = (name: string) => `arn:aws:events:us-east-1:123456789012:connection/${name}/0b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b`;
const KEY = "sk_test_c4n4ryK3y";
const HEADER = "hdr-c4n4ry";
const PIN = "86753094";
const PASSWORD = "pw-c4n4ry";
const CLIENT_SECRET = "cs-c4n4ry";
const TOKEN = "tok-c4n4ry-access";
const BASIC64 = Buffer.from(`orders:${PASSWORD}`).toString("base64");
const CANARIES = [KEY, HEADER, PIN, PASSWORD, CLIENT_SECRET, TOKEN, BASIC64];
const leaks = (text: string) => CANARIES.filter((c) => text.includes(c));

const connections = (tokenUrl: string): Record<string, ConnectionSpec> => ({
    [arn("key")]: {
        AuthorizationType: "API_KEY",
        AuthParameters: {
            ApiKeyAuthParameters: { ApiKeyName: "Authorization", ApiKeyValue: `Bearer ${KEY}` },
            InvocationHttpParameters: {
                HeaderParameters: [{ Key: "X-Shop-Secret", Value: HEADER, IsValueSecret: true }],
                BodyParameters: [{ Key: "merchant_pin", Value: PIN, IsValueSecret: true }],
            },
        },
    },
    [arn("basic")]: { AuthorizationType: "BASIC", AuthParameters: { BasicAuthParameters: { Username: "orders", Password: PASSWORD } } },
    [arn("oauth")]: {
        AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
        AuthParameters: {
            OAuthParameters: { AuthorizationEndpoint: tokenUrl, HttpMethod: "POST", ClientParameters: { ClientID: "orders", ClientSecret: CLIENT_SECRET } },
        },
    },
});

/** What a careless API echoes back: every credential it received, alone, inside text, and as a number. */
const echoed = JSON.stringify({
    authorization: `Bearer ${KEY}`,
    note: `key ${KEY} and pin ${PIN} seen`,
    header: HEADER,
    pin: Number(PIN),
    [`by-${TOKEN}`]: true,
    basic: `Basic ${BASIC64}`,
    password: PASSWORD,
    token: TOKEN,
    clientSecret: CLIENT_SECRET,
});

const task = (name: string, next: string | undefined) => ({
    Type: "Task",
    Resource: "arn:aws:states:::http:invoke",
    Parameters: { ApiEndpoint: "API_URL/echo", Method: "POST", Authentication: { ConnectionArn: arn(name) }, RequestBody: { order: 1 } },
    ResultPath: `$.${name}`,
    ...(next ? { Next: next } : { End: true }),
});

describe("one masking rule in every command's output", () => {
    const useApi = useEcho();
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "masking-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, value: unknown) => {
        fs.writeFileSync(path.join(dir, name), JSON.stringify(value));
        return path.join(dir, name);
    };

    async function local(definition: unknown, quiet: boolean): Promise<{ code: number; lines: string[] }> {
        const api = useApi();
        const withUrl = JSON.parse(JSON.stringify(definition).replace(/API_URL/g, api.url)) as unknown;
        api.reply(
            { body: echoed },
            { body: echoed },
            { body: JSON.stringify({ access_token: TOKEN, token_type: "Bearer", expires_in: 3600 }) },
            { body: echoed },
        );
        const lines: string[] = [];
        const argv = [
            ...["--definition", write("d.json", withUrl), "--input", write("i.json", {})],
            ...["--connections", write("c.json", connections(`${api.url}/token`)), ...(quiet ? ["--quiet"] : [])],
        ];
        const code = await runCli(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), colour: false });
        return { code, lines };
    }

    const succeeding = { StartAt: "Key", States: { Key: task("key", "Basic"), Basic: task("basic", "OAuth"), OAuth: task("oauth", undefined) } };
    const failing = {
        StartAt: "Key",
        States: {
            Key: task("key", "Basic"),
            Basic: task("basic", "OAuth"),
            OAuth: task("oauth", "Stop"),
            Stop: { Type: "Fail", ErrorPath: "$.oauth.ResponseBody.token", CausePath: "$.key.ResponseBody.note" },
        },
    };

    for (const [name, definition, expected] of [
        ["SUCCEEDED", succeeding, 0],
        ["FAILED", failing, 1],
    ] as const) {
        for (const quiet of [false, true]) {
            it(`npm run local, ${name}${quiet ? ", --quiet" : ", with the trace"}: no credential an API echoes is printed`, async () => {
                const { code, lines } = await local(definition, quiet);
                assert.equal(code, expected, lines.join("\n"));
                assert.deepEqual(leaks(lines.join("\n")), [], lines.join("\n"));
                // The last line stays JSON, a masked number included; the wire carried the real values.
                const last = JSON.parse(lines[lines.length - 1]) as { output: { key?: { ResponseBody: { pin: unknown } } } | null };
                if (name === "SUCCEEDED") assert.equal(last.output?.key?.ResponseBody.pin, "***");
                const sent = useApi().received;
                assert.equal(sent.length, 4);
                assert.ok(sent[0].body.includes(PIN), sent[0].body);
                assert.equal(useApi().header(3, "authorization"), `Bearer ${TOKEN}`, "the API call carried the real token");
                assert.equal(quiet, !lines.some((l) => l.includes("POST")));
            });
        }
    }

    it("npm run local, usage error: a token URL's user info in the connections file is not printed", async () => {
        const lines: string[] = [];
        const file = connections(`https://orders:${CLIENT_SECRET}@auth.example.com/token`);
        const definition = JSON.parse(JSON.stringify(succeeding).replace(/API_URL/g, useApi().url)) as unknown;
        const argv = ["--definition", write("d.json", definition), "--input", write("i.json", {}), "--connections", write("c.json", file)];
        const code = await runCli(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), colour: false });
        assert.equal(code, 2);
        assert.ok(
            lines.some((l) => l.includes("https://***@auth.example.com/token")),
            lines.join("\n"),
        );
        assert.deepEqual(leaks(lines.join("\n")), []);
    });

    it("the one rule masks numbers, keys and text, and keeps JSON JSON", () => {
        const masked = mask({ pin: 86753094, [`k-${KEY}`]: [`x${KEY}y`, true], ok: 5 }, [KEY, PIN]);
        assert.deepEqual(masked, { pin: "***", "k-***": ["x***y", true], ok: 5 });
        assert.deepEqual(maskDeep({ pin: 86753094 }, [PIN]), { pin: "***" }, "TestState's answer is masked by the same function");
    });

    it("synth's files mask a numeric secret, in resources.json and connections.local.json", () => {
        const result: SynthResult = {
            resources: [
                {
                    type: "aws:cloudwatch/eventConnection:EventConnection",
                    name: "inventory-connection",
                    inputs: { authParameters: { basic: { username: "orders", password: PIN } } },
                    id: "inventory-connection-id",
                    state: {},
                },
            ],
            outputs: { note: `pin ${PIN}` },
            workflows: [],
        };
        const out = path.join(dir, "synth");
        const files = writeSynthOutput(result, out, secretLeaves({ inventory: { password: Number(PIN) } }), {
            "connections.local.json": { x: { AuthParameters: { BasicAuthParameters: { Password: Number(PIN) } } } },
        });
        const text = files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
        assert.deepEqual(leaks(text), []);
        assert.ok(text.includes('"password": "[secret]"'), text);
    });
});
