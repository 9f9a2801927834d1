/**
 * Every fix validation suggests is run: a stack file with one careless mistake is validated, each
 * `pulumi config set/rm` command of the problems is applied to the file as the Pulumi CLI would
 * (`pulumi-cli.ts`), and the file is validated again: the problems are gone and none appeared. A
 * credential is never echoed on the way. What this cannot prove: that the real CLI agrees with
 * `pulumi-cli.ts` beyond the Pulumi code it follows.
 */
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { readStackFile, stackSettings } from "../../tools/stack-file";
import { PROJECT } from "../../deploy/stack-config/types";
import { ConfigError } from "../../deploy/stack-config/validate";
import { applyConfigCommand, suggestedCommands, testCiphertext } from "./pulumi-cli";

const ROOT = path.join(__dirname, "..", "..");
const CANARY = "sk_live_c4n4ry7f3e";
type Config = Record<string, unknown>;

const stackConfig = (stack: string): Config => (parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Config }).config;
const key = (name: string) => `${PROJECT}:${name}`;

/** The problems of a stack whose `config:` map is `config` ([] when valid). */
function problemsOf(config: Config): readonly string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fixes-"));
    try {
        fs.writeFileSync(path.join(dir, "Pulumi.t.yaml"), stringify({ config }));
        stackSettings(readStackFile("t", dir));
        return [];
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Applies every suggested command (placeholders like `<vpc-id>` filled from `fill`, in order) and returns the new config. */
function applyFixes(config: Config, problems: readonly string[], fill: Record<string, string[]> = {}): Config {
    const next = structuredClone(config);
    const queues = Object.fromEntries(Object.entries(fill).map(([k, v]) => [k, [...v]]));
    for (const command of problems.flatMap((p) => suggestedCommands(p))) {
        const filled = command.replace(/<[a-z-]+>/g, (p) => queues[p]?.shift() ?? p);
        applyConfigCommand(next, filled, PROJECT);
    }
    return next;
}

/** A careless edit of a repository stack, the fix's placeholders, and what the problems must (not) say. */
interface Case {
    readonly name: string;
    readonly stack: "dev" | "prod";
    readonly edit: (config: Config) => void;
    readonly first: RegExp;
    readonly fill?: Record<string, string[]>;
    readonly never?: readonly string[];
    readonly after?: (config: Config) => void;
}

const setOauth = (config: Config, api: string, field: string, value: unknown) => {
    ((config[key(api)] as Config).auth as Config)[field] = value;
};

const cases: Case[] = [
    {
        name: "a misspelt workflow: one did-you-mean, no advice to remove what it made look unused",
        stack: "dev",
        edit: (c) => (c[key("workflows")] = ["order", "comments", "colect"]),
        first: /^`workflows\[2\]`: `colect` is not a workflow .*did you mean `collect`\?/,
        never: ["config rm"],
    },
    {
        name: "a misspelt workflow with no near name: still nothing called unused",
        stack: "dev",
        edit: (c) => (c[key("workflows")] = ["order", "comments", "zzzzzz"]),
        first: /^`workflows\[2\]`: `zzzzzz` is not a workflow/,
        never: ["config rm"],
        // No guess: the fix names the workflow to choose; choosing `collect` keeps every setting meaningful.
        fill: { "<workflow>": ["collect"] },
    },
    {
        name: "a namespace one letter off the project's",
        stack: "dev",
        edit: (c) => {
            c["sfn-http-workflow:tags"] = c[key("tags")];
            delete c[key("tags")];
        },
        first: /^`sfn-http-workflow:tags`: `sfn-http-workflow` is not this project's namespace.*did you mean `sfn-http-workflows:tags`\?/,
        after: (c) => assert.deepEqual(c[key("tags")], { environment: "dev", team: "commerce-platform" }),
    },
    {
        name: "a secret under a misspelt namespace is moved encrypted, never printed",
        stack: "dev",
        edit: (c) => (c["sfn-http-workfows:secrets"] = { payment: { apiKey: { secure: testCiphertext(CANARY) } } }),
        first: /^`sfn-http-workfows:secrets`: .*--secret/,
        never: [CANARY],
        after: (c) => assert.deepEqual(c[key("secrets")], { payment: { apiKey: { secure: testCiphertext(CANARY) } } }),
    },
    {
        name: "a plaintext secret in the stack file",
        stack: "dev",
        edit: (c) => (c[key("secrets")] = { payment: { apiKey: `Bearer ${CANARY}` } }),
        first: /^`secrets\.payment\.apiKey` is stored in plain text/,
        never: [CANARY],
        after: (c) => assert.deepEqual(c[key("secrets")], { payment: { apiKey: { secure: testCiphertext(`Bearer ${CANARY}`) } } }),
    },
    {
        name: "a numeric plaintext secret",
        stack: "dev",
        edit: (c) => (c[key("secrets")] = { inventory: { password: 86753094 } }),
        first: /^`secrets\.inventory\.password` is stored in plain text/,
        never: ["86753094"],
        after: (c) => assert.deepEqual(c[key("secrets")], { inventory: { password: { secure: testCiphertext("86753094") } } }),
    },
    {
        name: "user info in a base URL",
        stack: "dev",
        edit: (c) => ((c[key("payment")] as Config).baseUrl = `https://orders:${CANARY}@api.stripe.com/v1`),
        first: /^`payment\.baseUrl` holds credentials in a URL \(not shown/,
        never: [CANARY, "orders:"],
    },
    {
        name: "user info in a token URL",
        stack: "dev",
        edit: (c) => setOauth(c, "shipping", "tokenUrl", `https://sfn:${CANARY}@auth.sandbox.shipping.example.com/oauth2/token`),
        first: /^`shipping\.auth\.tokenUrl` holds credentials in a URL/,
        never: [CANARY, "sfn:"],
    },
    {
        name: "user info in an http token URL (two problems, one key)",
        stack: "dev",
        edit: (c) => setOauth(c, "social", "tokenUrl", `http://sfn:${CANARY}@auth.social.dev.example.com/oauth2/token`),
        first: /^`social\.auth\.tokenUrl` holds credentials/,
        never: [CANARY, "sfn:"],
    },
    {
        name: "a credential-like token parameter goes to `secrets.<api>.tokenParameters`",
        stack: "dev",
        edit: (c) => ((((c[key("shipping")] as Config).auth as Config).tokenParameters as Config).bodies = { client_assertion_token: CANARY }),
        first: /^`shipping\.auth\.tokenParameters\.bodies\.client_assertion_token` looks like a credential/,
        never: [CANARY],
        after: (c) =>
            assert.deepEqual((c[key("secrets")] as Config).shipping, {
                tokenParameters: { bodies: { client_assertion_token: { secure: testCiphertext(CANARY) } } },
            }),
    },
    {
        name: "a credential-like header whose name has a dot",
        stack: "dev",
        edit: (c) => ((c[key("telemetry")] as Config).invocationParameters = { headers: { "X.Api-Token": 12345678 } }),
        first: /^`telemetry\.invocationParameters\.headers\.X\.Api-Token` looks like a credential/,
        never: ["12345678"],
    },
    {
        name: "prod's placeholder ids in a stack that is deployed",
        stack: "prod",
        edit: (c) => delete c[key("example")],
        first: /^`inventory\.private\.vpcId`: `vpc-0a1b2c3d4e5f67890` is a placeholder/,
        fill: {
            "<vpc-id>": ["vpc-07f3c29a81d4e6b05"],
            "<subnet-id>": ["subnet-0e4b8d2c6a1f93757", "subnet-09c1d7e3b5a2f4680"],
            "<security-group-id>": ["sg-05d9e2a7c4b13f806"],
        },
    },
    {
        name: "APIs and a collect block that are really unused are still named, and removing them is safe",
        stack: "dev",
        edit: (c) => (c[key("workflows")] = ["order"]),
        first: /^`comments` is set but no enabled workflow calls it/,
        fill: { "<workflow>": ["comments"] },
    },
    {
        name: "a misspelt setting",
        stack: "dev",
        edit: (c) => {
            c[key("logLevl")] = "ALL";
            delete c[key("logLevel")];
        },
        first: /^`logLevl` is not a known setting; did you mean `logLevel`\?/,
        fill: { "<value>": ["ALL"] },
    },
];

describe("suggested config fixes, applied as the Pulumi CLI would", () => {
    it("start from valid repository stacks", () => {
        assert.deepEqual(problemsOf(stackConfig("dev")), []);
        assert.deepEqual(problemsOf(stackConfig("prod")), []);
    });

    for (const c of cases) {
        it(c.name, () => {
            const config = stackConfig(c.stack);
            c.edit(config);
            const problems = problemsOf(config);
            assert.ok(problems.length > 0 && c.first.test(problems[0]), problems.join("\n"));
            for (const text of c.never ?? []) assert.equal(problems.join("\n").includes(text), false, `${text} in:\n${problems.join("\n")}`);
            const fixed = applyFixes(config, problems, c.fill);
            assert.deepEqual(problemsOf(fixed), [], `after ${problems.flatMap((p) => suggestedCommands(p)).join("; ")}`);
            c.after?.(fixed);
        });
    }

    it("suggests, for the misspelt workflow, exactly the one command that restores the stack", () => {
        const config = stackConfig("dev");
        config[key("workflows")] = ["order", "comments", "colect"];
        assert.deepEqual(problemsOf(config), [
            "`workflows[2]`: `colect` is not a workflow (`order`, `comments`, `collect`); did you mean `collect`? Run `pulumi config set --path 'workflows[2]' collect`.",
        ]);
        assert.deepEqual(applyFixes(config, problemsOf(config)), stackConfig("dev"));
    });

    it("refuses user info anywhere in config and never echoes it, even where no rule expects a URL", () => {
        const config = stackConfig("dev");
        (config[key("tags")] as Config).repo = `https://ci:${CANARY}@git.example.com/shop.git`;
        const problems = problemsOf(config);
        assert.deepEqual(problems, [
            "`tags.repo` holds credentials in a URL (not shown; they belong in `secrets.<api>`): run `pulumi config set --path 'tags.repo' https://git.example.com/shop.git`.",
        ]);
    });
});
