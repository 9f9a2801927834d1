/**
 * HTTP Task emulator conformance, answer and auth side (docs/aws-facts.md §4, §5, §7): the result
 * shape, error names, the 60 s limit (shortened here), and Basic / API key / OAuth connections.
 */
import * as assert from "node:assert/strict";
import { ConnectionSpec } from "../../tools/emulator/connections";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { useEcho } from "./echo";
import { rejection } from "../helpers/rejection";

const ARN = "arn:aws:events:us-east-1:123456789012:connection/echo/0b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b";
const OTHER = "arn:aws:events:us-east-1:123456789012:connection/other/1b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b";

const basic: ConnectionSpec = { AuthorizationType: "BASIC", AuthParameters: { BasicAuthParameters: { Username: "orders", Password: "s3cret:x" } } };
const apiKey: ConnectionSpec = { AuthorizationType: "API_KEY", AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "X-Api-Key", ApiKeyValue: "k-123" } } };

describe("local HTTP Task emulator: answers, errors and auth", () => {
    const useApi = useEcho();
    const useTokens = useEcho();
    const emulator = (spec: ConnectionSpec, timeoutMs?: number) =>
        new HttpTaskEmulator({ connections: new Map([[ARN, spec]]), region: "us-east-1", timeoutMs });
    const task = (extra: Record<string, unknown> = {}) => ({
        ApiEndpoint: `${useApi().url}/things`,
        Method: "GET",
        Authentication: { ConnectionArn: ARN },
        ...extra,
    });

    it("returns { Headers (arrays), ResponseBody parsed for application/json, StatusCode, StatusText }", async () => {
        useApi().reply({
            status: 201,
            statusText: "Created",
            headers: { "Content-Type": "application/json; charset=utf-8", "X-Multi": ["a", "b"] },
            body: '{"id":"ch_1","n":2}',
        });
        const result = await emulator(apiKey).invoke(task());
        assert.deepEqual(result.ResponseBody, { id: "ch_1", n: 2 });
        assert.equal(result.StatusCode, 201);
        assert.equal(result.StatusText, "Created");
        assert.deepEqual(result.Headers["X-Multi"], ["a", "b"]);
        assert.deepEqual(result.Headers["Content-Type"], ["application/json; charset=utf-8"]);
        assert.deepEqual(Object.keys(result).sort(), ["Headers", "ResponseBody", "StatusCode", "StatusText"]);
    });

    it("keeps non-JSON bodies (text/plain, application/vnd.api+json) as strings", async () => {
        useApi().reply(
            { headers: { "Content-Type": "text/plain" }, body: '{"a":1}' },
            { headers: { "Content-Type": "application/vnd.api+json" }, body: '{"a":1}' },
        );
        assert.equal((await emulator(apiKey).invoke(task())).ResponseBody, '{"a":1}');
        assert.equal((await emulator(apiKey).invoke(task())).ResponseBody, '{"a":1}');
    });

    for (const type of ["application/octet-stream", "image/png", "video/mp4", "audio/mpeg"]) {
        it(`fails with States.Runtime for a ${type} answer`, async () => {
            useApi().reply({ headers: { "Content-Type": type }, body: "xx" });
            assert.equal((await rejection(emulator(apiKey).invoke(task()))).name, "States.Runtime");
        });
    }

    it("fails with States.Runtime for a body that is not valid UTF-8", async () => {
        useApi().reply({ headers: { "Content-Type": "text/plain" }, body: Buffer.from([0xff, 0xfe, 0x00]) });
        assert.equal((await rejection(emulator(apiKey).invoke(task()))).name, "States.Runtime");
    });

    it("turns a non-2xx answer into States.Http.StatusCode.<code> with the status text as cause", async () => {
        useApi().reply({ status: 409, statusText: "Conflict", body: "{}" });
        const error = await rejection(emulator(apiKey).invoke(task()));
        assert.equal(error.name, "States.Http.StatusCode.409");
        assert.equal(error.message, "Conflict");
    });

    it("does not follow redirects: a 302 is States.Http.StatusCode.302", async () => {
        useApi().reply({ status: 302, statusText: "Found", headers: { Location: "/elsewhere" }, body: "" });
        assert.equal((await rejection(emulator(apiKey).invoke(task()))).name, "States.Http.StatusCode.302");
        assert.equal(useApi().received.length, 1);
    });

    it("fails with States.Http.Socket when nothing listens", async () => {
        const error = await rejection(emulator(apiKey).invoke(task({ ApiEndpoint: "http://127.0.0.1:1/things" })));
        assert.equal(error.name, "States.Http.Socket");
    });

    it("fails with States.Http.Socket when the exchange outlives the limit (60 s in AWS, 50 ms here)", async () => {
        useApi().reply({ hang: true });
        const error = await rejection(emulator(apiKey, 50).invoke(task()));
        assert.equal(error.name, "States.Http.Socket");
    });

    it("signs BASIC connections with Authorization: Basic base64(user:password)", async () => {
        await emulator(basic).invoke(task());
        assert.equal(useApi().header(0, "Authorization"), `Basic ${Buffer.from("orders:s3cret:x").toString("base64")}`);
    });

    it("signs API_KEY connections with the named header", async () => {
        await emulator(apiKey).invoke(task());
        assert.equal(useApi().header(0, "X-Api-Key"), "k-123");
        assert.equal(useApi().header(0, "Authorization"), undefined);
    });

    it("de-authorizes a Basic connection on 401: later calls fail with InvalidConnectionState without a request", async () => {
        const http = emulator(basic);
        useApi().reply({ status: 401, statusText: "Unauthorized", body: "{}" });
        assert.equal((await rejection(http.invoke(task()))).name, "States.Http.StatusCode.401");
        assert.equal(http.connectionState(ARN), "DEAUTHORIZED");
        assert.equal((await rejection(http.invoke(task()))).name, "Events.ConnectionResource.InvalidConnectionState");
        assert.equal(useApi().received.length, 1);
    });

    it("fails with Events.ConnectionResource.ResourceNotFound for an unknown connection", async () => {
        const error = await rejection(emulator(apiKey).invoke(task({ Authentication: { ConnectionArn: OTHER } })));
        assert.equal(error.name, "Events.ConnectionResource.ResourceNotFound");
    });

    describe("OAUTH_CLIENT_CREDENTIALS", () => {
        const oauth = (): ConnectionSpec => ({
            AuthorizationType: "OAUTH_CLIENT_CREDENTIALS",
            AuthParameters: {
                OAuthParameters: {
                    AuthorizationEndpoint: `${useTokens().url}/oauth2/token`,
                    HttpMethod: "POST",
                    ClientParameters: { ClientID: "client-1", ClientSecret: "cs" },
                    OAuthHttpParameters: {
                        BodyParameters: [
                            { Key: "grant_type", Value: "client_credentials" },
                            { Key: "scope", Value: "shipments:write" },
                        ],
                    },
                },
            },
        });
        const token = (value: string) => ({ body: JSON.stringify({ access_token: value, token_type: "Bearer", expires_in: 3600 }) });

        it("requests a token with client Basic auth and a form body, then sends it as a Bearer token", async () => {
            useTokens().reply(token("t-1"));
            await emulator(oauth()).invoke(task());
            assert.equal(useTokens().received[0].method, "POST");
            assert.equal(useTokens().received[0].url, "/oauth2/token");
            assert.equal(useTokens().header(0, "Authorization"), `Basic ${Buffer.from("client-1:cs").toString("base64")}`);
            assert.equal(useTokens().header(0, "Content-Type"), "application/x-www-form-urlencoded");
            assert.equal(useTokens().received[0].body, "grant_type=client_credentials&scope=shipments%3Awrite");
            assert.equal(useApi().header(0, "Authorization"), "Bearer t-1");
        });

        it("caches the token until expiry: two calls, one token request", async () => {
            useTokens().reply(token("t-2"));
            const http = emulator(oauth());
            await http.invoke(task());
            await http.invoke(task());
            assert.equal(useTokens().received.length, 1);
            assert.deepEqual([useApi().header(0, "Authorization"), useApi().header(1, "Authorization")], ["Bearer t-2", "Bearer t-2"]);
        });

        it("drops the token on 401 and fetches a new one for the next call, without de-authorizing", async () => {
            useTokens().reply(token("old"), token("new"));
            const http = emulator(oauth());
            useApi().reply({ status: 401, statusText: "Unauthorized", body: "{}" });
            assert.equal((await rejection(http.invoke(task()))).name, "States.Http.StatusCode.401");
            await http.invoke(task());
            assert.equal(useTokens().received.length, 2);
            assert.equal(useApi().header(1, "Authorization"), "Bearer new");
            assert.equal(http.connectionState(ARN), "AUTHORIZED");
        });

        it("de-authorizes the connection when no token can be obtained", async () => {
            useTokens().reply({ status: 400, statusText: "Bad Request", body: '{"error":"invalid_client"}' });
            const http = emulator(oauth());
            assert.equal((await rejection(http.invoke(task()))).name, "Events.ConnectionResource.InvalidConnectionState");
            assert.equal(useApi().received.length, 0);
        });
    });
});
