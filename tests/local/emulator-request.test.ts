/**
 * HTTP Task emulator conformance, request side (docs/aws-facts.md §1–3), against a loopback echo
 * server that records the wire request. These tests prove what the emulator sends; they cannot
 * prove that AWS sends the same bytes (the fact sheet's UNKNOWNs stay unknown).
 */
import * as assert from "node:assert/strict";
import { ConnectionSpec } from "../../tools/emulator/connections";
import { HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { useEcho } from "./echo";
import { rejection } from "../helpers/rejection";

const ARN = "arn:aws:events:us-east-1:123456789012:connection/echo/0b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b";

function emulator(connection: Partial<ConnectionSpec["AuthParameters"]> = {}): HttpTaskEmulator {
    const spec: ConnectionSpec = {
        AuthorizationType: "API_KEY",
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: "X-Api-Key", ApiKeyValue: "k-123" }, ...connection },
    };
    return new HttpTaskEmulator({ connections: new Map([[ARN, spec]]), region: "eu-west-1" });
}

describe("local HTTP Task emulator: the request", () => {
    const echo = useEcho();
    const task = (extra: Record<string, unknown> = {}) => ({
        ApiEndpoint: `${echo().url}/v1/items`,
        Method: "POST",
        Authentication: { ConnectionArn: ARN },
        ...extra,
    });

    it("builds the URL from ApiEndpoint and percent-encoded QueryParameters, task keys first", async () => {
        await emulator().invoke(task({ Method: "GET", QueryParameters: { q: "red mug & co", page: 2, ok: true } }));
        assert.equal(echo().received[0].url, "/v1/items?q=red%20mug%20%26%20co&page=2&ok=true");
    });

    it("lets the connection win on query keys, keeping the task key's position, and appends new ones", async () => {
        const http = emulator({
            InvocationHttpParameters: {
                QueryStringParameters: [
                    { Key: "maxItems", Value: "10" },
                    { Key: "tenant", Value: "t1" },
                ],
            },
        });
        await http.invoke(task({ Method: "GET", QueryParameters: { maxItems: 50, sort: "asc" } }));
        assert.equal(echo().received[0].url, "/v1/items?maxItems=10&sort=asc&tenant=t1");
    });

    it("merges headers with the connection winning, case-insensitively", async () => {
        const http = emulator({ InvocationHttpParameters: { HeaderParameters: [{ Key: "Header-Param", Value: "connection_header_param" }] } });
        await http.invoke(task({ Headers: { "Request-Id": "my_request_id", "header-param": "state_machine_header_param" } }));
        assert.equal(echo().header(0, "Request-Id"), "my_request_id");
        assert.deepEqual(
            echo().received[0].rawHeaders.filter(([k]) => k.toLowerCase() === "header-param"),
            [["Header-Param", "connection_header_param"]],
        );
    });

    it("merges body keys with the connection winning: replaced keys keep their place, new keys come last", async () => {
        const http = emulator({
            InvocationHttpParameters: {
                BodyParameters: [
                    { Key: "BodyParam", Value: "connection_body_param" },
                    { Key: "Extra", Value: "x" },
                ],
            },
        });
        await http.invoke(task({ RequestBody: { Job: "Software Engineer", BodyParam: "state_machine_body_param", Company: "AnyCompany" } }));
        assert.equal(echo().received[0].body, '{"Job":"Software Engineer","BodyParam":"connection_body_param","Company":"AnyCompany","Extra":"x"}');
    });

    it("fails with States.Runtime when a string body meets connection body parameters, and sends nothing", async () => {
        const http = emulator({ InvocationHttpParameters: { BodyParameters: [{ Key: "k", Value: "v" }] } });
        const error = await rejection<{ name: string; message: string }>(http.invoke(task({ RequestBody: "plain text" })));
        assert.equal(error.name, "States.Runtime");
        assert.equal(echo().received.length, 0);
    });

    it("sends JSON bodies as application/json; charset=UTF-8 with an exact Content-Length", async () => {
        await emulator().invoke(task({ RequestBody: { amount: 2599, note: "café" } }));
        assert.equal(echo().header(0, "Content-Type"), "application/json; charset=UTF-8");
        assert.equal(echo().received[0].body, '{"amount":2599,"note":"café"}');
        assert.equal(echo().header(0, "Content-Length"), String(Buffer.byteLength('{"amount":2599,"note":"café"}')));
    });

    it("sets Step Functions' User-Agent and Range, replacing a task's own User-Agent", async () => {
        await emulator().invoke(task({ Headers: { "User-Agent": "mine/1.0" } }));
        assert.deepEqual(
            echo().received[0].rawHeaders.filter(([k]) => /^(user-agent|range)$/i.test(k)),
            [
                ["User-Agent", "Amazon|StepFunctions|HttpInvoke|eu-west-1"],
                ["Range", "bytes=0-262144"],
            ],
        );
    });

    const urlEncoded = (format?: string) =>
        task({
            Headers: { "Content-Type": "application/x-www-form-urlencoded" },
            RequestBody: { array: ["a", "b", "c", "d"] },
            Transform: { RequestBodyEncoding: "URL_ENCODED", ...(format ? { RequestEncodingOptions: { ArrayFormat: format } } : {}) },
        });
    const encodings: [string | undefined, string][] = [
        [undefined, "array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c&array%5B3%5D=d"],
        ["INDICES", "array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c&array%5B3%5D=d"],
        ["REPEAT", "array=a&array=b&array=c&array=d"],
        ["COMMAS", "array=a%2Cb%2Cc%2Cd"],
        ["BRACKETS", "array%5B%5D=a&array%5B%5D=b&array%5B%5D=c&array%5B%5D=d"],
    ];
    for (const [format, expected] of encodings) {
        it(`URL-encodes the body with ArrayFormat ${format ?? "(default INDICES)"}`, async () => {
            await emulator().invoke(urlEncoded(format));
            assert.equal(echo().received[0].body, expected);
            assert.equal(echo().header(0, "Content-Type"), "application/x-www-form-urlencoded");
        });
    }

    it("URL-encodes nested objects as parent[child] with %20 for spaces (AWS's Stripe example)", async () => {
        await emulator().invoke(
            task({
                RequestBody: { description: "Monthly subscription", metadata: { order_details: "monthly report data" } },
                Transform: { RequestBodyEncoding: "URL_ENCODED" },
            }),
        );
        assert.equal(echo().received[0].body, "description=Monthly%20subscription&metadata%5Border_details%5D=monthly%20report%20data");
        assert.equal(echo().header(0, "Content-Type"), undefined, "AWS does not add a content-type for URL_ENCODED (§1.9)");
    });

    const forbidden = ["Authorization", "host", "Accept-Encoding", "X-Amz-Date", "x-amzn-trace-id", "X-Forwarded-For", "Transfer-Encoding"];
    for (const name of forbidden) {
        it(`fails with States.Runtime for the forbidden header ${name} and sends nothing`, async () => {
            const error = await rejection<{ name: string; message: string }>(emulator().invoke(task({ Headers: { [name]: "x" } })));
            assert.equal(error.name, "States.Runtime");
            assert.equal(error.message, `The Headers field contains an unsupported header: ${name}.`);
            assert.equal(echo().received.length, 0);
        });
    }

    const refused: [string, Record<string, unknown>][] = [
        ["a query string inside ApiEndpoint", { ApiEndpoint: "https://api.example.com/v1?x=1" }],
        ["http:// to a non-loopback host", { ApiEndpoint: "http://api.example.com/v1" }],
        ["a lower-case method", { Method: "post" }],
        ["both Authentication and InvocationConfig", { InvocationConfig: { ConnectionArn: ARN } }],
        ["an object-valued query parameter", { QueryParameters: { filter: { a: 1 } } }],
        ["an unknown field", { Header: { a: "b" } }],
    ];
    for (const [what, override] of refused) {
        it(`fails with States.Runtime for ${what}`, async () => {
            const error = await rejection<{ name: string; message: string }>(emulator().invoke(task(override)));
            assert.equal(error.name, "States.Runtime");
            assert.equal(echo().received.length, 0);
        });
    }
});
