// The pack as the Pulumi CLI runs it for `pulumi preview --policy-pack policy`: Pulumi's own
// policy-pack runner (`@pulumi/pulumi/cmd/run-policy-pack`, ts-node with type-checking) starts
// `policy/index.ts` in a child process, and the test speaks the analyzer gRPC protocol to it, as the
// engine would. It cannot prove what a real preview sends (unknown values, the CLI's config handling).
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

import pb = require("@pulumi/pulumi/proto/analyzer_pb");
import analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

const ROOT = path.join(__dirname, "..", "..");
/* eslint-disable @typescript-eslint/no-explicit-any -- the gRPC client's methods are called by name */
/** A module as @pulumi/pulumi resolves it, so channels and messages are the ones its generated stubs expect. */
function fromPulumi(id: string): any {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the path is only known at run time
    return require(require.resolve(id, { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
}
const grpc = fromPulumi("@grpc/grpc-js");
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb");

const call = <T>(client: any, method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

function analyzeRequest(type: string, name: string, props: object): pb.AnalyzeRequest {
    const request = new pb.AnalyzeRequest();
    request.setType(type);
    request.setName(name);
    request.setUrn(`urn:pulumi:dev::sfn-http-workflows::${type}::${name}`);
    request.setProperties(Struct.fromJavaScript(props));
    request.setOptions(new pb.AnalyzerResourceOptions());
    return request;
}

describe("policy pack served by Pulumi's policy-pack runner", function () {
    this.timeout(120_000);
    let child: ChildProcess;
    let client: any;

    before(async () => {
        child = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."], { cwd: path.join(ROOT, "policy") });
        let stderr = "";
        child.stderr?.on("data", (d) => (stderr += String(d)));
        // The runner prints the port it listens on as its first line, as the CLI expects.
        const port = await new Promise<string>((resolve, reject) => {
            child.stdout?.once("data", (d) => resolve(String(d).trim()));
            child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
        });
        assert.match(port, /^\d+$/);
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });
    after(() => {
        client?.close();
        child?.kill();
    });

    it("announces the pack and its seven mandatory policies", async () => {
        const info = await call<any>(client, "getAnalyzerInfo", new Empty());
        assert.equal(info.getName(), "sfn-http-workflows-guardrails");
        assert.equal(info.getVersion(), "0.1.0");
        assert.deepEqual(
            info.getPoliciesList().map((p: any) => p.getName()),
            [
                "http-invoke-scoped",
                "credential-reads-scoped",
                "data-access-scoped",
                "state-machine-logging",
                "state-machine-tracing",
                "connection-credentials-secret",
                "log-group-retention",
            ],
        );
    });

    it("stops a state machine with logging and X-Ray off by default, and lets it through with dev's config", async () => {
        const machine = analyzeRequest("aws:sfn/stateMachine:StateMachine", "wf-state-machine", {
            roleArn: "arn:aws:iam::123456789012:role/wf",
            loggingConfiguration: { level: "OFF" },
            tracingConfiguration: { enabled: false },
        });
        const strict = await call<any>(client, "analyze", machine);
        assert.deepEqual(
            strict.getDiagnosticsList().map((d: any) => [d.getPolicyname(), d.getMessage().split("\n")[1]]),
            [
                [
                    "state-machine-logging",
                    "State machine `wf-state-machine` has logging off (`loggingConfiguration.level` is `OFF` or unset): set the stack's `logLevel` to `ERROR`, `FATAL` or `ALL`, or allow it for this stack with `allowLoggingOff: true` in its policy config.",
                ],
                [
                    "state-machine-tracing",
                    "State machine `wf-state-machine` has X-Ray tracing off, which this stack's policy config forbids (`requireTracing`): set the stack's `tracing` to `true`.",
                ],
            ],
        );

        const configure = new pb.ConfigureAnalyzerRequest();
        const dev = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config", "dev.json"), "utf8")) as Record<string, object>;
        for (const [policy, properties] of Object.entries(dev)) {
            const config = new pb.PolicyConfig();
            config.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
            config.setProperties(Struct.fromJavaScript(properties));
            configure.getPolicyconfigMap().set(policy, config);
        }
        await call(client, "configure", configure);
        const relaxed = await call<any>(client, "analyze", machine);
        assert.deepEqual(relaxed.getDiagnosticsList(), []);
    });
});
