/**
 * The `npm run synth` command end to end, as a reviewer or CI runs it: its main function with real
 * files, in this process (`tests/helpers/command.ts`; `tests/delivery/help.test.ts` proves the
 * script's entry point runs the same function), so the outcome does not depend on machine load.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runScript } from "./helpers/command";
import { listStacks, readStackFile, stackSettings } from "../tools/stack-file";
import { useStack } from "./helpers/mocks";

const ROOT = path.join(__dirname, "..");

async function synth(...args: string[]) {
    const run = await runScript("tools/commands/synth.ts", ...args);
    return { status: run.code, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run synth", () => {
    let out: string;
    before(() => {
        out = fs.mkdtempSync(path.join(os.tmpdir(), "synth-"));
    });
    after(() => {
        fs.rmSync(out, { recursive: true, force: true });
        // synth sets its own Pulumi mocks; later suites get the shared ones back.
        useStack("test", "us-east-1");
    });

    it("writes resources.json and, per workflow, the ASL, the merged policy and a Mermaid chart", async () => {
        const run = await synth("--stack", "dev", "--out", out);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(fs.readdirSync(out).sort(), [
            "collect.asl.json",
            "collect.mmd",
            "collect.policy.json",
            "comments.asl.json",
            "comments.mmd",
            "comments.policy.json",
            "connections.local.json",
            "order.asl.json",
            "order.mmd",
            "order.policy.json",
            "outputs.json",
            "resources.json",
        ]);
        const resources = JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")) as {
            type: string;
            name: string;
            inputs: Record<string, unknown>;
        }[];
        assert.deepEqual(Object.keys(resources[0]), ["type", "name", "inputs"]);
        const connections = resources.filter((r) => r.type === "aws:cloudwatch/eventConnection:EventConnection");
        // One per API the dev stack configures.
        assert.equal(connections.length, Object.keys(stackSettings(readStackFile("dev", ROOT)).apis).length);
        // What a reviewer needs to see of a connection's auth, with only the secret values masked.
        const payment = connections.find((c) => c.name === "payment-connection");
        assert.deepEqual(payment?.inputs.authParameters, {
            apiKey: { key: "Authorization", value: "[secret]" },
            invocationHttpParameters: { bodies: [], headers: [], queryStrings: [] },
        });
        const shipping = connections.find((c) => c.name === "shipping-connection")?.inputs.authParameters as { oauth: Record<string, unknown> };
        assert.deepEqual(shipping.oauth.clientParameters, { clientId: "sfn-orders-dev", clientSecret: "[secret]" });
        assert.equal(shipping.oauth.authorizationEndpoint, "https://auth.sandbox.shipping.example.com/oauth2/token");
        const outputs = JSON.parse(fs.readFileSync(path.join(out, "outputs.json"), "utf8")) as Record<string, unknown>;
        assert.deepEqual(Object.keys(outputs).sort(), [
            "collectBucketName",
            "collectDeadLetterQueueUrl",
            "collectScheduleName",
            "connectionArns",
            "connectionSecretArns",
            "dashboardUrls",
            "logGroupNames",
            "notificationTopicArn",
            "operationsTopicArn",
            "orderConsoleUrl",
            "orderIntakeApiKeyId",
            "orderIntakeUrl",
            "roleArns",
            "startCollectExecutionCommand",
            "startCommentsExecutionCommand",
            "startOrderExecutionCommand",
            "stateMachineArns",
        ]);
        const all = fs
            .readdirSync(out)
            .map((f) => fs.readFileSync(path.join(out, f), "utf8"))
            .join("\n");
        assert.equal(all.includes("placeholder-secret"), false);

        const asl = JSON.parse(fs.readFileSync(path.join(out, "order.asl.json"), "utf8"));
        assert.equal(asl.StartAt, "ValidateOrder");
        assert.match(
            asl.States.AuthorizePayment.Parameters.InvocationConfig.ConnectionArn,
            /^arn:aws:events:eu-west-1:123456789012:connection\/payment-connection-/,
        );
        const policy = JSON.parse(fs.readFileSync(path.join(out, "order.policy.json"), "utf8"));
        assert.deepEqual(Object.keys(policy), ["Version", "Statement"]);
        // One statement per HTTP endpoint of the definition, its methods together (the program test proves it is exactly
        // `derivePolicy` of it), named by what it grants; then the fixed ones.
        const sids = policy.Statement.map((s: { Sid: string }) => s.Sid) as string[];
        const endpoints = new Set(
            Object.values(asl.States as Record<string, { Resource?: string; Parameters?: Record<string, unknown> }>)
                .filter((st) => st.Resource === "arn:aws:states:::http:invoke")
                // A dynamic endpoint counts by its template: two states may fill the same `{}` from different paths.
                .map((st) => String(st.Parameters?.ApiEndpoint ?? st.Parameters?.["ApiEndpoint.$"]).split("', ")[0]),
        );
        assert.equal(sids.filter((sid) => sid.startsWith("Invoke")).length, endpoints.size);
        assert.ok(sids.includes("InvokePostApiStripeComV1Refunds"));
        assert.deepEqual(sids.slice(endpoints.size), [
            "RetrieveConnectionCredentials",
            "ReadConnectionSecrets",
            "PublishNotifications",
            "DeliverLogs",
            "WriteTraces",
        ]);
        assert.equal(new Set(sids).size, sids.length);
        assert.match(fs.readFileSync(path.join(out, "order.mmd"), "utf8"), /^flowchart TD\n/);
        assert.ok(run.stdout.startsWith(`Synthesized stack \`dev\` (eu-west-1): ${resources.length} resources, 3 workflows.`), run.stdout);
    });

    it("exits 1 with the validation message on bad config", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
        const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
        // Dev's inventory base URL as the stack file has it, made `http://`: a change of dev's hosts or paths changes nothing here.
        const url = stackSettings(readStackFile("dev", ROOT)).apis.inventory.baseUrl;
        const plain = url.replace(/^https:/, "http:");
        const broken = dev.replace(`baseUrl: ${url}\n`, `baseUrl: ${plain}\n`);
        assert.notEqual(broken, dev);
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), broken);
        const run = await synth("--stack", "broken", "--stack-dir", dir, "--out", path.join(out, "broken"));
        assert.equal(run.status, 1);
        assert.equal(
            run.stderr.trim(),
            `Invalid \`sfn-http-workflows\` stack configuration:\n  - \`inventory.baseUrl\` must use \`https://\` (got \`${plain}\`): run \`pulumi config set --path 'inventory.baseUrl' ${url}\`.`,
        );
        assert.equal(fs.existsSync(path.join(out, "broken")), false);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("says plainly that it cannot resolve Pulumi ESC environments a stack imports", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
        try {
            fs.writeFileSync(
                path.join(dir, "Pulumi.esc.yaml"),
                `environment:\n  - commerce/dev\n${fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")}`,
            );
            const run = await synth("--stack", "esc", "--stack-dir", dir, "--out", path.join(dir, "out"));
            assert.equal(run.status, 0, run.stderr);
            assert.match(run.stdout, /^note: stack `esc` imports Pulumi ESC environment\(s\) `commerce\/dev`, which synth cannot resolve/m);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("exits 2 with usage when --stack is missing or names no stack file", async () => {
        const run = await synth();
        assert.equal(run.status, 2);
        // The stack list comes from the stack files, as the command's does.
        const stacks = listStacks(path.join(__dirname, "..")).join(", ");
        assert.ok(run.stderr.startsWith(`\`--stack\` is required (stacks: ${stacks}).\nusage: npm run synth -- --stack <name>`), run.stderr);
        const missing = `${stacks.replace(/, /g, "-")}-not-a-stack`;
        const unknown = await synth("--stack", missing);
        assert.equal(unknown.status, 2);
        assert.ok(unknown.stderr.startsWith(`No stack \`${missing}\` (stacks: ${stacks}).\nusage: npm run synth`), unknown.stderr);
    });
});
