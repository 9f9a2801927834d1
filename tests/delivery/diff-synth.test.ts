// The base-vs-head synth diff that pull-request.yml writes to the job summary: the line diff itself,
// then whole synth trees of the real program, as CI produces them.
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareTrees, MAX_DIFF_LINES, renderMarkdown } from "../../tools/commands/diff-synth";
import { unifiedDiff } from "../../tools/synth/line-diff";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { synthesize } from "../../tools/synth/run-program";
import { writeSynthOutput } from "../../tools/synth/write";
import { mocks } from "../helpers/mocks";
import { runScript } from "../helpers/command";
import { synthStack } from "../helpers/pulumi";

const ROOT = path.join(__dirname, "..", "..");

describe("unifiedDiff", () => {
    const table: [string, string, string, string][] = [
        ["equal texts", "a\nb\n", "a\nb\n", ""],
        ["one changed line, removal first, with context", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nX\ne\nf\n", "@@ -1,6 +1,6 @@\n a\n b\n c\n-d\n+X\n e\n f"],
        ["an added file", "", "x\ny\n", "@@ -1,0 +1,2 @@\n+x\n+y"],
        ["a removed file", "x\n", "", "@@ -1,1 +1,0 @@\n-x"],
        [
            "two changes far apart: two hunks",
            "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
            "one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n",
            "@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+ten",
        ],
    ];
    for (const [title, before, after, expected] of table) it(title, () => assert.equal(unifiedDiff(before, after), expected));
});

describe("tools/commands/diff-synth.ts", () => {
    let tmp: string;
    // Dev's inventory base URL, read from the stack file: a change of dev's hosts or paths changes no expectation here.
    const inventoryBaseUrl = stackSettings(readStackFile("dev", ROOT)).apis.inventory.baseUrl;
    const inventory = inventoryBaseUrl.replace(/\/+$/, "");
    // The base is the repository's own stacks: synthesized once per process (`synthStack`).
    const synthTo = async (stack: string, dir: string, out: string) =>
        writeSynthOutput(dir === ROOT ? await synthStack(stack) : await synthesize(readStackFile(stack, dir), mocks), out, []);

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "diff-synth-"));
        // Head: dev's inventory API moves to <its base URL>/v2, prod is untouched, a `staging` stack appears.
        const stacks = path.join(tmp, "stacks");
        fs.mkdirSync(stacks);
        const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
        const moved = dev.replace(`baseUrl: ${inventoryBaseUrl}\n`, `baseUrl: ${inventory}/v2\n`);
        assert.notEqual(moved, dev);
        fs.writeFileSync(path.join(stacks, "Pulumi.dev.yaml"), moved);
        fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), path.join(stacks, "Pulumi.prod.yaml"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.prod.yaml"), path.join(stacks, "Pulumi.staging.yaml"));
        for (const stack of ["dev", "prod"]) await synthTo(stack, ROOT, path.join(tmp, "base", stack));
        for (const stack of ["dev", "prod", "staging"]) await synthTo(stack, stacks, path.join(tmp, "head", stack));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("shows which definitions, policies and resources changed, per stack", () => {
        const diffs = compareTrees(path.join(tmp, "base"), path.join(tmp, "head"));
        assert.deepEqual(
            diffs.map((d) => [d.stack, d.change]),
            [
                ["dev", "unchanged"],
                ["prod", "unchanged"],
                ["staging", "added"],
            ],
        );
        const [dev, prod, staging] = diffs;
        assert.deepEqual(
            dev.files.map((f) => [f.file, f.change]),
            [
                ["collect.asl.json", "unchanged"],
                ["collect.policy.json", "unchanged"],
                ["comments.asl.json", "unchanged"],
                ["comments.policy.json", "unchanged"],
                ["order.asl.json", "changed"],
                ["order.policy.json", "changed"],
                ["outputs.json", "unchanged"],
            ],
        );
        assert.deepEqual(dev.resources, {
            added: [],
            removed: [],
            changed: ["aws:iam/rolePolicy:RolePolicy order-workflow-policy", "aws:sfn/stateMachine:StateMachine order-workflow-state-machine"],
        });
        const policyDiff = dev.files
            .find((f) => f.file === "order.policy.json")!
            .diff.split("\n")
            .filter((l) => /^[-+]/.test(l));
        // Each inventory statement changes its endpoint, and its id (the statement ids name what they grant, so they move
        // with the endpoint); the removed and added lines pair up in order.
        const removed = policyDiff.filter((l) => l.startsWith("-")).map((l) => l.slice(1));
        const added = policyDiff.filter((l) => l.startsWith("+")).map((l) => l.slice(1));
        const endpoint = (base: string) => `"states:HTTPEndpoint": "${base}/`;
        assert.ok(removed.filter((l) => l.includes(endpoint(inventory))).length > 0, policyDiff.join("\n"));
        assert.deepEqual(
            added.map((l) => (l.includes('"Sid": ') ? "Sid" : l)),
            removed.map((l) => (l.includes('"Sid": ') ? "Sid" : l.replace(endpoint(inventory), endpoint(`${inventory}/v2`)))),
        );
        added.forEach((l, i) => assert.ok(!l.includes('"Sid": ') || l !== removed[i], l));
        assert.deepEqual(
            prod.files.map((f) => f.change),
            ["unchanged", "unchanged", "unchanged"],
        );
        assert.deepEqual(
            staging.files.map((f) => [f.file, f.change]),
            [
                ["order.asl.json", "added"],
                ["order.policy.json", "added"],
                ["outputs.json", "added"],
            ],
        );
        // Everything of a new stack is added: as many resources as prod, whose config it copies.
        assert.equal(staging.resources.added.length, JSON.parse(fs.readFileSync(path.join(tmp, "base", "prod", "resources.json"), "utf8")).length);

        const markdown = renderMarkdown(diffs, { base: "abc1234", head: "def5678" });
        assert.ok(markdown.startsWith("## Synth: state machines and IAM, `abc1234` → `def5678`\n\n### Stack `dev`\n\n| File | Change |\n| --- | --- |\n"));
        const lines = (file: string, sign: string) =>
            dev.files
                .find((f) => f.file === file)!
                .diff.split("\n")
                .filter((l) => l.startsWith(sign)).length;
        const counts = (file: string) => `(+${lines(file, "+")} −${lines(file, "-")})`;
        assert.ok(
            markdown.includes(
                `| \`order.asl.json\` | changed ${counts("order.asl.json")} |\n| \`order.policy.json\` | changed ${counts("order.policy.json")} |\n`,
            ),
        );
        assert.ok(
            markdown.includes(
                "Resources changed: `aws:iam/rolePolicy:RolePolicy order-workflow-policy`, `aws:sfn/stateMachine:StateMachine order-workflow-state-machine`\n",
            ),
        );
        assert.ok(markdown.includes("### Stack `prod`\n\nNo change in state machines, role policies or resources.\n"));
        assert.ok(markdown.includes("### Stack `staging` (new)\n"));
        assert.equal(markdown.split("<details>").length - 1, 5);
        assert.equal(markdown.includes("placeholder-secret"), false);
    });

    it("cuts a diff longer than the summary can hold, pointing at the artifact", () => {
        const long = Array.from({ length: MAX_DIFF_LINES + 50 }, (_, i) => `line ${i}`).join("\n");
        const markdown = renderMarkdown(
            [
                {
                    stack: "dev",
                    change: "unchanged",
                    files: [{ file: "order.asl.json", change: "added", diff: unifiedDiff("", long) }],
                    resources: { added: [], removed: [], changed: [] },
                },
            ],
            { base: "b", head: "h" },
        );
        assert.match(markdown, /\n… 51 more lines in the synth artifact\n```/);
    });

    it("prints usage and exits 2 without --base and --head", async () => {
        // In-process: the exit code and streams the command's entry point would give (help.test.ts spawns one real entry point).
        const run = await runScript("tools/commands/diff-synth.ts");
        assert.equal(run.code, 2);
        assert.equal(
            run.stderr.trim(),
            "`--base` and `--head` are required.\nusage: ts-node tools/commands/diff-synth.ts --base <dir> --head <dir> [--base-label <text>] [--head-label <text>]",
        );
    });
});
