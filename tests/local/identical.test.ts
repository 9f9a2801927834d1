/**
 * The local runner runs the deployed definitions: for every stack file in the repository and every
 * workflow it enables, the definition a local stack builds is the text `npm run synth -- --stack <s>`
 * writes as `<workflow>.asl.json`, apart from what only exists after deploy (the names inside ARNs,
 * the bucket's generated name). Mocks cannot prove that AWS accepts that text; the synth tests and
 * `pulumi preview` do that part.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { WorkflowName } from "../../deploy/workflows/catalogue";
import { LOCAL_BUCKET, startLocalCollectStack } from "../../tools/local/collect-stack";
import { startLocalOrderStack } from "../../tools/local/order-stack";
import { listStacks, readStackFile, stackSettings } from "../../tools/stack-file";
import { writeSynthOutput } from "../../tools/synth/write";
import { synthStack } from "../helpers/pulumi";

const ROOT = path.join(__dirname, "..", "..");

/** The definition each local stack builds; `undefined` for a workflow with no local stack (said so below). */
const LOCAL_DEFINITIONS: Readonly<Record<WorkflowName, ((stack: string) => Promise<StateMachineDefinition>) | undefined>> = {
    order: async (stack) => {
        const local = await startLocalOrderStack({ stack });
        await local.close();
        return local.definition;
    },
    collect: async (stack) => {
        const local = await startLocalCollectStack({ stack });
        await local.close();
        return local.definition;
    },
    // The comments walkthrough calls a public demo API the sandbox does not stand in for: no local stack.
    comments: undefined,
};

/**
 * `text` with the parts that only exist after deploy made neutral: the name after an ARN's resource
 * type (service, region, account and resource type stay compared), and the bucket's name.
 */
function afterDeployNeutral(text: string, bucket: string | undefined): string {
    // `arn:aws:<service>:<region>:<account>:[<resource type>/ or :]<name>`: SNS topics have no resource type.
    const arns = text.replace(/(arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d*:)(?:([a-z-]+)[/:])?[^"'\s]*/g, "$1$2/<name>");
    return bucket === undefined ? arns : arns.split(bucket).join("<bucket>");
}

describe("the local stacks run the deployed definitions", () => {
    let out: string;
    before(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "identical-"))));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    for (const stack of listStacks(ROOT)) {
        const enabled = stackSettings(readStackFile(stack, ROOT)).workflows;
        it(`builds every workflow stack \`${stack}\` enables (${enabled.join(", ")}) as \`npm run synth\` writes it`, async () => {
            const synth = await synthStack(stack);
            const dir = path.join(out, stack);
            writeSynthOutput(synth, dir, []);
            const bucket = synth.outputs.collectBucketName as string | undefined;
            let compared = 0;
            for (const workflow of enabled) {
                const build = LOCAL_DEFINITIONS[workflow];
                if (build === undefined) continue;
                const deployed = fs.readFileSync(path.join(dir, `${workflow}.asl.json`), "utf8");
                const local = `${JSON.stringify(await build(stack), null, 2)}\n`;
                const [l, d] = [afterDeployNeutral(local, LOCAL_BUCKET), afterDeployNeutral(deployed, bucket)].map((t) => t.split("\n"));
                const at = l.findIndex((line, i) => line !== d[i]);
                // One differing line says more than a diff of two 200 KB texts.
                assert.ok(
                    at === -1 && l.length === d.length,
                    `${stack}: ${workflow}.asl.json line ${at + 1}: local ${l[at]?.slice(0, 200)}, synth ${d[at]?.slice(0, 200)}`,
                );
                compared++;
            }
            assert.ok(compared > 0, `stack \`${stack}\` has no workflow with a local stack`);
        });
    }

    it("makes neutral only the names: a different host, path, region or resource type still differs", () => {
        const base = '"https://api.example.com/v1", "arn:aws:events:eu-west-1:123456789012:connection/a/1", "b-123"';
        for (const changed of [
            base.replace("api.example.com", "api.example.org"),
            base.replace("/v1", "/v2"),
            base.replace("eu-west-1", "us-east-1"),
            base.replace("connection/", "api-destination/"),
        ])
            assert.notEqual(afterDeployNeutral(changed, "b-123"), afterDeployNeutral(base, "b-123"));
        assert.equal(
            afterDeployNeutral(base.replace("connection/a/1", "connection/other/2").replace("b-123", "b-9"), "b-9"),
            afterDeployNeutral(base, "b-123"),
        );
    });
});
