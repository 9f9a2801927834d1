// The policy pack against the real program: every stack's resources, synthesized under mocks, pass
// with that stack's pack config, and the per-stack settings (logging off allowed in dev, X-Ray
// required in prod) decide the outcome. Mocks cannot prove that the CLI sends the same inputs
// (it sends unknowns during a first preview, which the pack then reports as advisory).
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { DEFAULT_SETTINGS, policies } from "../../policy/policies";
import { listStacks, readStackFile, StackFile } from "../../tools/stack-file";
import { RecordedResource, revealSecrets } from "../../tools/synth/mocks";
import { synthesize } from "../../tools/synth/run-program";
import { mocks } from "../helpers/mocks";
import { synthStack } from "../helpers/pulumi";

const ROOT = path.join(__dirname, "..", "..");
type PackConfig = Record<string, Record<string, unknown>>;

/** `policy/config/<stack>.json`, the file CI passes with `--policy-pack-config`. */
function packConfig(stack: string): PackConfig {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config", `${stack}.json`), "utf8")) as PackConfig;
}

/** Every message every policy reports on `resources`, as `<policy>: <resource>: <message>`. */
function analyze(resources: readonly RecordedResource[], config: PackConfig): string[] {
    const messages: string[] = [];
    for (const r of resources) {
        // The pack receives inputs with secrets unwrapped, as `revealSecrets` leaves them.
        const props = revealSecrets(r.inputs) as Record<string, unknown>;
        for (const policy of policies) {
            const args = {
                type: r.type,
                name: r.name,
                urn: `urn:${r.name}`,
                props,
                getConfig: () => config[policy.name] ?? {},
            } as unknown as ResourceValidationArgs;
            (policy.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => void)(args, (m) =>
                messages.push(`${policy.name}: ${r.name}: ${m}`),
            );
        }
    }
    return messages;
}

/** The resource types each policy looks at. */
const APPLIES: Record<string, string[]> = {
    "http-invoke-scoped": ["aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:iam/policy:Policy"],
    "credential-reads-scoped": ["aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:iam/policy:Policy"],
    "data-access-scoped": ["aws:iam/rolePolicy:RolePolicy", "aws:iam/role:Role", "aws:iam/policy:Policy"],
    "state-machine-logging": ["aws:sfn/stateMachine:StateMachine"],
    "state-machine-tracing": ["aws:sfn/stateMachine:StateMachine"],
    "connection-credentials-secret": ["aws:cloudwatch/eventConnection:EventConnection"],
    "log-group-retention": ["aws:cloudwatch/logGroup:LogGroup"],
};

/** A stack file with some plain settings replaced (`logLevel`, `tracing`, ...). */
function withSettings(file: StackFile, settings: Record<string, string>): StackFile {
    const pulumiConfig = { ...file.pulumiConfig };
    for (const [key, value] of Object.entries(settings)) pulumiConfig[`sfn-http-workflows:${key}`] = value;
    return { ...file, pulumiConfig };
}

describe("policy pack on the real program", () => {
    it("has a policy config for every stack, and only for stacks that exist", () => {
        const configs = fs
            .readdirSync(path.join(ROOT, "policy", "config"))
            .map((f) => f.replace(/\.json$/, ""))
            .sort();
        assert.deepEqual(configs, listStacks(ROOT));
        assert.deepEqual(packConfig("dev"), { "state-machine-logging": { allowLoggingOff: true }, "state-machine-tracing": { requireTracing: false } });
        assert.deepEqual(packConfig("prod"), { "state-machine-logging": { allowLoggingOff: false }, "state-machine-tracing": { requireTracing: true } });
        assert.deepEqual(DEFAULT_SETTINGS, { allowLoggingOff: false, requireTracing: true });
    });

    it("is served by policy/index.ts only: the other modules load without starting the pack's server", () => {
        const sources = fs.readdirSync(path.join(ROOT, "policy")).filter((f) => f.endsWith(".ts"));
        const serving = sources.filter((f) => /^\s*new PolicyPack\(/m.test(fs.readFileSync(path.join(ROOT, "policy", f), "utf8")));
        assert.deepEqual(serving, ["index.ts"]);
        for (const f of sources.filter((s) => s !== "index.ts"))
            assert.doesNotMatch(fs.readFileSync(path.join(ROOT, "policy", f), "utf8"), /^import (?!type ).*"@pulumi\/policy"/m, f);
    });

    it("lists the six guardrails, all mandatory", () => {
        assert.deepEqual(
            policies.map((p) => [p.name, p.enforcementLevel]),
            Object.keys(APPLIES).map((name) => [name, "mandatory"]),
        );
    });

    for (const stack of listStacks(ROOT)) {
        it(`passes every resource of stack \`${stack}\`, with its config and with the strict defaults`, async () => {
            const { resources } = await synthStack(stack);
            assert.deepEqual(analyze(resources, packConfig(stack)), []);
            assert.deepEqual(analyze(resources, {}), []);
            for (const name of Object.keys(APPLIES))
                assert.ok(
                    resources.some((r) => APPLIES[name].includes(r.type)),
                    `${name} has nothing to examine in ${stack}`,
                );
        });
    }

    it("lets dev turn logging and X-Ray off, and stops the same program under prod's config", async () => {
        const { resources } = await synthesize(withSettings(readStackFile("dev", ROOT), { logLevel: "OFF", tracing: "false", monitoring: "{}" }), mocks);
        assert.deepEqual(analyze(resources, packConfig("dev")), []);
        const machines = resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine").map((r) => r.name);
        assert.deepEqual([...machines].sort(), ["collect-state-machine", "comments-state-machine", "order-workflow-state-machine"]);
        assert.deepEqual(
            analyze(resources, packConfig("prod")),
            machines.flatMap((m) => [
                `state-machine-logging: ${m}: State machine \`${m}\` has logging off (\`loggingConfiguration.level\` is \`OFF\` or unset): set the stack's \`logLevel\` to \`ERROR\`, \`FATAL\` or \`ALL\`, or allow it for this stack with \`allowLoggingOff: true\` in its policy config.`,
                `state-machine-tracing: ${m}: State machine \`${m}\` has X-Ray tracing off, which this stack's policy config forbids (\`requireTracing\`): set the stack's \`tracing\` to \`true\`.`,
            ]),
        );
    });

    it("reads the real derived role policies: without their conditions, every HTTP grant is reported", async () => {
        const { resources } = await synthStack("prod");
        const rolePolicy = resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
        assert.ok(rolePolicy);
        const document = JSON.parse(String(revealSecrets(rolePolicy.inputs.policy))) as { Statement: { Sid: string; Action: string[]; Condition?: unknown }[] };
        const unscoped = {
            ...document,
            Statement: document.Statement.map(({ Condition, ...s }) => (s.Action.includes("states:InvokeHTTPEndpoint") ? s : { ...s, Condition })),
        };
        const messages = analyze([{ ...rolePolicy, inputs: { ...rolePolicy.inputs, policy: JSON.stringify(unscoped) } }], packConfig("prod"));
        assert.deepEqual(
            messages,
            document.Statement.filter((s) => s.Action.includes("states:InvokeHTTPEndpoint")).map(
                (s) =>
                    `http-invoke-scoped: ${rolePolicy.name}: Statement \`${s.Sid}\` allows \`states:InvokeHTTPEndpoint\` without a \`states:HTTPEndpoint\` or \`states:HTTPMethod\` condition: scope both keys with \`StringEquals\` or \`StringLike\`, as \`derivePolicy\` (deploy/asl/policy.ts) does.`,
            ),
        );
        assert.ok(messages.length > 0);
    });
});
