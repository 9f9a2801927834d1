// Runs the whole deploy/index.ts under mocks for every Pulumi.<stack>.yaml. Mocks cannot prove that
// AWS accepts the resources, only what the program declares for each stack.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { derivePolicy } from "../deploy/asl/policy";
import { listStacks, readStackFile, stackSettings } from "../tools/stack-file";
import { DEFAULT_WORKFLOWS, WORKFLOWS } from "../deploy/workflows/catalogue";
import { WORKFLOW_DEFAULTS } from "../deploy/stack-config/types";
import { credentialPaths } from "../deploy/stack-config/validate";
import { SynthResult, synthesize } from "../tools/synth/run-program";
import { mocks } from "./helpers/mocks";
import { countsByType, synthStack } from "./helpers/pulumi";

const ROOT = path.join(__dirname, "..");
const stacks = listStacks(ROOT);

describe("the program (deploy/index.ts) under mocks", () => {
    it("finds every stack file, the tools' default `dev` among them", () => {
        const files = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f));
        assert.deepEqual(stacks, files.map((f) => f.split(".")[1]).sort());
        assert.ok(stacks.includes("dev"), "the local tools default to the `dev` stack");
    });

    for (const stack of stacks) {
        describe(`stack \`${stack}\``, () => {
            const stackFile = readStackFile(stack, ROOT);
            let result: SynthResult;
            before(async () => {
                result = await synthStack(stack);
            });

            it("exports ARNs, names, a console URL and a start-execution command", () => {
                const o = result.outputs as Record<string, Record<string, string> & string>;
                const machine = o.stateMachineArns.order;
                assert.equal(machine, `arn:aws:states:${stackFile.region}:123456789012:stateMachine:sfn-http-workflows-${stack}-order`);
                assert.match(o.roleArns.order, /^arn:aws:iam::123456789012:role\/order-workflow-role-[0-9a-f]{7}$/);
                for (const api of WORKFLOWS.order.apis) {
                    assert.match(o.connectionArns[api], new RegExp(`^arn:aws:events:${stackFile.region}:123456789012:connection/${api}-connection-`));
                    assert.match(
                        o.connectionSecretArns[api],
                        new RegExp(`^arn:aws:secretsmanager:${stackFile.region}:123456789012:secret:events!connection/${api}-connection-`),
                    );
                }
                assert.equal(
                    o.orderConsoleUrl,
                    `https://${stackFile.region}.console.aws.amazon.com/states/home?region=${stackFile.region}#/statemachines/view/${encodeURIComponent(machine)}`,
                );
                // Named by the order id, with the order from a file: never a ready-to-charge sample.
                assert.equal(
                    o.startOrderExecutionCommand,
                    `aws stepfunctions start-execution --region ${stackFile.region} --state-machine-arn ${machine} --name "$(jq -r .orderId order.json)" --input file://order.json`,
                );
            });

            it("grants each workflow exactly what its definition calls", () => {
                assert.ok(result.workflows.length >= 1);
                const secretsByConnection = Object.fromEntries(
                    mocks.ofType("aws:cloudwatch/eventConnection:EventConnection").map((c) => [c.state.arn, c.state.secretArn]),
                );
                const settings = stackFile.raw;
                for (const wf of result.workflows) {
                    const expected = derivePolicy(wf.definition, {
                        stateMachineArn: `arn:aws:states:${stackFile.region}:123456789012:stateMachine:${wf.stateMachineName}`,
                        connectionSecrets: secretsByConnection as Record<string, string>,
                        logging: (settings.logLevel ?? "ERROR") !== "OFF",
                        tracing: settings.tracing === true,
                        publishesVersions: settings.publishVersions === true,
                    });
                    assert.deepEqual(wf.policy, expected, wf.name);
                }
            });

            it("keeps every placeholder secret inside the connections' auth parameters", () => {
                const secrets = JSON.stringify(stackFile.secrets).match(/placeholder-secret:[\w.]+/g) ?? [];
                assert.ok(secrets.length >= 3);
                for (const r of result.resources) {
                    const visible = JSON.stringify({
                        name: r.name,
                        inputs: r.type.endsWith("EventConnection") ? { ...r.inputs, authParameters: undefined } : r.inputs,
                        outputs: r.state.arn,
                    });
                    for (const s of secrets) assert.equal(visible.includes(s), false, `${s} in ${r.type} ${r.name}`);
                }
                assert.equal(JSON.stringify(result.outputs).includes("placeholder-secret"), false);
            });
        });
    }

    it("declares the comments demo only where it is enabled (dev) and X-Ray where configured", async () => {
        const dev = await synthStack("dev");
        assert.deepEqual(dev.workflows.map((w) => w.name).sort(), ["collect", "comments", "order"]);
        // One connection per API the stack configures (each API an enabled workflow or source calls).
        assert.equal(
            countsByType(dev.resources)["aws:cloudwatch/eventConnection:EventConnection"],
            Object.keys(stackSettings(readStackFile("dev", ROOT)).apis).length,
        );
        const prod = await synthStack("prod");
        assert.deepEqual(
            prod.workflows.map((w) => w.name),
            ["order"],
        );
        const machine = prod.resources.find((r) => r.type === "aws:sfn/stateMachine:StateMachine");
        assert.deepEqual([machine?.inputs.tracingConfiguration, machine?.inputs.publish], [{ enabled: true }, true]);
        // Customers' email and SMS, and the on-call address of the operations topic.
        assert.deepEqual(countsByType(prod.resources)["aws:sns/topicSubscription:TopicSubscription"], 3);
    });

    it("stops on bad config with every problem listed, before declaring any resource", async () => {
        const good = readStackFile("dev", ROOT);
        const bad = {
            ...good,
            pulumiConfig: {
                ...good.pulumiConfig,
                "sfn-http-workflows:logLevel": "VERBOSE",
                "sfn-http-workflows:logLevl": "ALL",
                "sfn-http-workflows:secrets": "{}",
            },
        };
        await assert.rejects(synthesize(bad, mocks), {
            name: "ConfigError",
            message:
                "Invalid `sfn-http-workflows` stack configuration:\n" +
                "  - `logLevl` is not a known setting; did you mean `logLevel`? Run `pulumi config rm --path 'logLevl'`, then `pulumi config set --path 'logLevel' <value>`.\n" +
                // One line per secret the stack's APIs need (`payment.apiKey`, `inventory.password`, ...).
                credentialPaths(good.raw)
                    .map((p) => {
                        const api = p.split(".")[0];
                        const type = stackSettings(good).apis[api].auth.type;
                        return `  - \`secrets.${p}\` is missing for \`${api}.auth.type\` \`${type}\`: run \`pulumi config set --secret --path 'secrets.${p}' <value>\`.\n`;
                    })
                    .join("") +
                "  - `logLevel` must be one of `ALL`, `ERROR`, `FATAL`, `OFF` (got `VERBOSE`): run `pulumi config set --path 'logLevel' ERROR`.",
        });
        assert.equal(mocks.resources.length, 0);
    });

    it("declares the same defaults in Pulumi.yaml as deploy/config.ts applies", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default: unknown }> };
        const declared = Object.fromEntries(
            ["workflowType", "logLevel", "logIncludeExecutionData", "logRetentionDays", "tracing", "publishVersions", "testStateAccess"].map((k) => [
                k,
                project.config[k].default,
            ]),
        );
        assert.deepEqual(declared, {
            workflowType: WORKFLOW_DEFAULTS.type,
            logLevel: WORKFLOW_DEFAULTS.logLevel,
            logIncludeExecutionData: WORKFLOW_DEFAULTS.logIncludeExecutionData,
            logRetentionDays: WORKFLOW_DEFAULTS.logRetentionDays,
            tracing: WORKFLOW_DEFAULTS.tracing,
            publishVersions: WORKFLOW_DEFAULTS.publishVersions,
            testStateAccess: WORKFLOW_DEFAULTS.testStateAccess,
        });
        assert.deepEqual(project.config.workflows.default, DEFAULT_WORKFLOWS);
    });

    it("keeps plaintext secrets out of the stack files: every value under `secrets` is `secure:` ciphertext", () => {
        const plaintextLeaves = (value: unknown, at: string): string[] => {
            if (typeof value !== "object" || value === null) return [at];
            const entries = Object.entries(value);
            if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") return [];
            return entries.flatMap(([k, v]) => plaintextLeaves(v, `${at}.${k}`));
        };
        for (const stack of stacks) {
            const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
            const secrets = doc.config["sfn-http-workflows:secrets"];
            assert.deepEqual(secrets === undefined ? [] : plaintextLeaves(secrets, "secrets"), [], stack);
        }
    });

    it("reads committed `secure:` values as placeholders, offline", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-"));
        const encrypted = "sfn-http-workflows:secrets:\n    payment:\n      apiKey:\n        secure: v1:c2VjcmV0:ciphertext\n";
        fs.writeFileSync(
            path.join(dir, "Pulumi.enc.yaml"),
            fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("config:\n", `config:\n  ${encrypted}`),
        );
        const file = readStackFile("enc", dir);
        assert.deepEqual((file.secrets as Record<string, Record<string, string>>).payment, { apiKey: "placeholder-secret:secrets.payment.apiKey" });
        assert.equal(file.pulumiConfig["sfn-http-workflows:secrets"].includes("ciphertext"), false);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
