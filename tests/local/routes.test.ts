/**
 * The local runner's route table (tools/emulator/routes.ts): the deployed definitions call the real
 * https URLs, and each one reaches the sandbox through an explicit route; a URL with no route is never
 * sent and fails like an unreachable host on AWS, `States.Http.Socket` (docs/aws-facts.md §5.1).
 */
import * as assert from "node:assert/strict";
import { ConnectionSpec } from "../../tools/emulator/connections";
import { HttpCall, HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { RouteTable } from "../../tools/emulator/routes";
import { TaskError } from "../../tools/emulator/errors";
import { useEcho } from "./echo";
import { rejection } from "../helpers/rejection";

const ARN = "arn:aws:events:us-east-1:123456789012:connection/routed/0b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b";
const REAL = "https://api.example.com/v1";
const TOKEN_URL = "https://auth.example.com/oauth2/token";

describe("route table", () => {
    const table = new RouteTable([
        { from: `${REAL}/`, to: "http://127.0.0.1:4000/v1" },
        { from: `${REAL}/deep`, to: "http://127.0.0.1:5000/x" },
    ]);
    const routed: [string, string, string | undefined][] = [
        ["the base itself", REAL, "http://127.0.0.1:4000/v1"],
        ["a path under it, with its query", `${REAL}/charges?limit=3`, "http://127.0.0.1:4000/v1/charges?limit=3"],
        ["the longer base first", `${REAL}/deep/1`, "http://127.0.0.1:5000/x/1"],
        ["a sibling path", `${REAL}x/charges`, undefined],
        ["a host that merely starts the same", "https://api.example.com.evil.tld/v1/charges", undefined],
        ["another scheme", "http://api.example.com/v1/charges", undefined],
    ];
    for (const [what, url, expected] of routed) it(`${expected ? "routes" : "does not route"} ${what}`, () => assert.equal(table.lookup(url), expected));

    it("fails an unrouted real URL with States.Http.Socket naming its origin, and never maps it", () => {
        assert.throws(
            () => table.target("https://elsewhere.example.org/v2/x?secret=1"),
            (e: TaskError) =>
                e.name === "States.Http.Socket" && /^No route to https:\/\/elsewhere\.example\.org: /.test(e.message) && !e.message.includes("secret"),
        );
    });

    it("sends loopback URLs as written, and unrouted real ones only when told to (`--allow-network`)", () => {
        assert.equal(table.target("http://127.0.0.1:9/x"), "http://127.0.0.1:9/x");
        assert.equal(new RouteTable([], { unrouted: "send" }).target("https://elsewhere.example.org/x"), "https://elsewhere.example.org/x");
    });

    it("refuses a route that leads off this machine, or carries a query", () => {
        assert.throws(() => new RouteTable([{ from: REAL, to: "https://api.example.net/v1" }]), /the target must be a loopback host/);
        assert.throws(() => new RouteTable([{ from: `${REAL}?a=1`, to: "http://127.0.0.1:1" }]), /neither side may carry a query/);
    });
});

describe("the HTTP Task emulator with routes", () => {
    const useApi = useEcho();
    const useTokens = useEcho();
    const apiKey: ConnectionSpec = { AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "X-Api-Key", ApiKeyValue: "k-1" } } };
    const oauth: ConnectionSpec = {
        AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
        AuthParameters: {
            OAuthParameters: {
                AuthorizationEndpoint: TOKEN_URL,
                HttpMethod: "POST",
                ClientParameters: { ClientID: "client-1", ClientSecret: "client-secret-1" },
            },
        },
    };
    const emulator = (spec: ConnectionSpec, routes: RouteTable) => new HttpTaskEmulator({ connections: new Map([[ARN, spec]]), region: "us-east-1", routes });
    const task = (endpoint: string) => ({ ApiEndpoint: endpoint, Method: "GET", Authentication: { ConnectionArn: ARN } });

    it("sends a real URL to its route and records the URL the definition called, with the local target", async () => {
        const calls: HttpCall[] = [];
        const result = await emulator(apiKey, new RouteTable([{ from: REAL, to: `${useApi().url}/sandbox` }])).invoke(
            { ...task(`${REAL}/things`), QueryParameters: { a: "1" } },
            (c) => calls.push(c),
        );
        assert.equal(result.StatusCode, 200);
        assert.deepEqual(
            useApi().received.map((r) => r.url),
            ["/sandbox/things?a=1"],
        );
        assert.deepEqual(
            calls.map(({ url, target, status }) => ({ url, target, status })),
            [{ url: `${REAL}/things?a=1`, target: `${useApi().url}/sandbox/things?a=1`, status: 200 }],
        );
    });

    it("fails an endpoint with no route with States.Http.Socket, sending nothing", async () => {
        const calls: HttpCall[] = [];
        const error = await rejection<TaskError>(
            emulator(apiKey, new RouteTable([{ from: "https://other.example.com", to: useApi().url }])).invoke(task(`${REAL}/things`), (c) => calls.push(c)),
        );
        assert.equal(error.name, "States.Http.Socket");
        assert.match(error.message, /^No route to https:\/\/api\.example\.com: /);
        assert.deepEqual(useApi().received, []);
        assert.deepEqual(
            calls.map(({ url, target, error }) => ({ url, target, error })),
            [{ url: `${REAL}/things`, target: undefined, error: "States.Http.Socket" }],
        );
    });

    it("routes the OAuth token URL too; with no route the token request is never sent and the connection is de-authorized", async () => {
        useTokens().reply({ body: JSON.stringify({ access_token: "tok-1", expires_in: 3600 }) });
        const routes = new RouteTable([
            { from: REAL, to: useApi().url },
            { from: TOKEN_URL, to: `${useTokens().url}/token` },
        ]);
        assert.equal((await emulator(oauth, routes).invoke(task(`${REAL}/things`))).StatusCode, 200);
        assert.deepEqual(
            useTokens().received.map((r) => `${r.method} ${r.url}`),
            ["POST /token"],
        );
        assert.equal(useApi().header(0, "Authorization"), "Bearer tok-1");

        const unrouted = emulator(oauth, new RouteTable([{ from: REAL, to: useApi().url }]));
        const error = await rejection<TaskError>(unrouted.invoke(task(`${REAL}/things`)));
        assert.equal(error.name, "Events.ConnectionResource.InvalidConnectionState");
        assert.match(error.message, /No route to https:\/\/auth\.example\.com/);
        assert.equal(unrouted.connectionState(ARN), "DEAUTHORIZED");
        assert.equal(useTokens().received.length, 1, "only the first emulator's token request arrived");
        assert.equal(useApi().received.length, 1);
    });
});
