/**
 * Secrets never printed: the trace's URL, a failed call's cause and the CLI's output mask a
 * connection's credential and every parameter that may be secret (`***`), while the request on the
 * wire still carries them.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../../tools/commands/local";
import { ConnectionSpec } from "../../tools/emulator/connections";
import { HttpCall, HttpTaskEmulator } from "../../tools/emulator/http-invoke";
import { maskText, maskUrl, secretValues } from "../../tools/emulator/redact";
import { useEcho } from "./echo";

const ARN = "arn:aws:events:us-east-1:123456789012:connection/echo/0b6a2f54-6f0c-4d8e-9a39-1c2d3e4f5a6b";
const SECRET_QUERY = "q-s3cr3t/+&=";
const connection: ConnectionSpec = {
    AuthorizationType: "API_KEY",
    AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: "Authorization", ApiKeyValue: "Bearer sk_test_k3y" },
        InvocationHttpParameters: {
            QueryStringParameters: [
                { Key: "token", Value: SECRET_QUERY, IsValueSecret: true },
                { Key: "unflagged", Value: "maybe-secret" },
                { Key: "client", Value: "orders", IsValueSecret: false },
            ],
            BodyParameters: [{ Key: "merchant_secret", Value: "b0dy-s3cret", IsValueSecret: true }],
        },
    },
};
const leaks = (text: string) => ["sk_test_k3y", "q-s3cr3t", encodeURIComponent(SECRET_QUERY), "maybe-secret", "b0dy-s3cret"].filter((s) => text.includes(s));

describe("secrets in traces and causes", () => {
    const useApi = useEcho();

    it("masks secret query values in the traced URL, and only those, while sending them", async () => {
        const calls: HttpCall[] = [];
        const emulator = new HttpTaskEmulator({ connections: new Map([[ARN, connection]]), region: "us-east-1" });
        await emulator.invoke(
            {
                ApiEndpoint: `${useApi().url}/things`,
                Method: "POST",
                Authentication: { ConnectionArn: ARN },
                QueryParameters: { page: "2" },
                RequestBody: { a: 1 },
            },
            (c) => calls.push(c),
        );
        assert.equal(calls.length, 1);
        assert.equal(calls[0].url, `${useApi().url}/things?page=2&token=***&unflagged=***&client=orders`);
        const sent = useApi().received[0];
        assert.ok(sent.url.includes(`token=${encodeURIComponent(SECRET_QUERY)}`), sent.url);
        assert.ok(sent.body.includes("b0dy-s3cret"));
    });

    it("masks secrets an API echoes into a failed call's cause", async () => {
        const emulator = new HttpTaskEmulator({ connections: new Map([[ARN, connection]]), region: "us-east-1", statusCause: "result" });
        useApi().reply({
            status: 400,
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ echoed: [SECRET_QUERY, "sk_test_k3y", "b0dy-s3cret"] }),
        });
        const error = await emulator
            .invoke({ ApiEndpoint: `${useApi().url}/things`, Method: "GET", Authentication: { ConnectionArn: ARN } })
            .then(() => assert.fail("expected a failure"))
            .catch((e: Error) => e);
        assert.equal(error.name, "States.Http.StatusCode.400");
        assert.deepEqual(leaks(error.message), []);
        assert.ok(error.message.includes("***"), error.message);
    });

    it("masks a secret raw, URL-encoded and as escaped inside serialized JSON", () => {
        const password = 'pa"ss\\word/ü';
        const texts = [password, encodeURIComponent(password), JSON.stringify({ auth: password })];
        const masked = texts.map((t) => maskText(t, [password]));
        assert.deepEqual(masked, ["***", "***", '{"auth":"***"}']);
        for (const m of masked) assert.equal(m.includes("word"), false);
    });

    it("collects the credential (with and without its Bearer scheme) and every possibly secret parameter", () => {
        const values = secretValues(connection);
        for (const v of ["Bearer sk_test_k3y", "sk_test_k3y", SECRET_QUERY, "maybe-secret", "b0dy-s3cret"]) assert.ok(values.includes(v), v);
        assert.equal(values.includes("orders"), false);
        assert.equal(maskUrl("https://x.example/p?client=orders", connection, values), "https://x.example/p?client=orders");
    });

    it("keeps the CLI's trace and last line free of the connection's secrets", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "redact-cli-"));
        try {
            const write = (name: string, value: unknown) => {
                fs.writeFileSync(path.join(dir, name), JSON.stringify(value));
                return path.join(dir, name);
            };
            const definition = write("d.json", {
                StartAt: "Call",
                States: {
                    Call: {
                        Type: "Task",
                        Resource: "arn:aws:states:::http:invoke",
                        Parameters: { ApiEndpoint: `${useApi().url}/things`, Method: "GET", Authentication: { ConnectionArn: ARN } },
                        End: true,
                    },
                },
            });
            useApi().reply({ status: 500, body: `internal error for ${SECRET_QUERY}` });
            const out: string[] = [];
            const code = await runCli(
                ["--definition", definition, "--input", write("i.json", {}), "--connections", write("c.json", { [ARN]: connection }), "--region", "us-east-1"],
                { out: (l) => out.push(l), err: (l) => out.push(l), colour: false },
            );
            assert.equal(code, 1);
            assert.ok(
                out.some((l) => l.includes("token=***")),
                out.join("\n"),
            );
            assert.deepEqual(leaks(out.join("\n")), []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
