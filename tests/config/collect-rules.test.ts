import * as assert from "assert";
import * as path from "path";
import { collectSettings } from "../../deploy/stack-config/collect-rules";
import { readStackFile } from "../../tools/stack-file";
import { ConfigError, credentialPaths, SETTING_KEYS, validateStackConfig } from "../../deploy/stack-config/validate";

const source = { api: "telemetry", path: "/devices", pagination: { style: "link" }, itemsField: "data", fields: ["id"] };
const problemsOf = (raw: unknown): string[] => {
    const problems: string[] = [];
    collectSettings(raw, true, [...SETTING_KEYS], problems, ["payment"]);
    return problems;
};

describe("`collect` config", () => {
    it("accepts a source as one entry, with every default", () => {
        const problems: string[] = [];
        const settings = collectSettings({ sources: { devices: source } }, true, [...SETTING_KEYS], problems);
        assert.deepEqual(problems, []);
        assert.deepEqual(settings?.sources, [{ name: "devices", ...source, query: {}, maxPages: 10 }]);
        assert.deepEqual(settings?.apiLimits, { telemetry: { maxConcurrency: 2, retryAfterSeconds: 1, attemptTimeoutSeconds: 10, retryBudget: 3 } });
        assert.equal(settings?.schedule.expression, "rate(1 hour)");
    });

    it("refuses an HTTP attempt timeout past 60 s (an HTTP Task stops there) and a negative retry budget", () => {
        const problems = problemsOf({ sources: { devices: source }, apiLimits: { telemetry: { attemptTimeoutSeconds: 61, retryBudget: -1 } } });
        assert.equal(problems.length, 2, problems.join("\n"));
        assert.match(problems[0], /`collect\.apiLimits\.telemetry\.attemptTimeoutSeconds` must be an integer from 1 to 60/);
        assert.match(problems[1], /`collect\.apiLimits\.telemetry\.retryBudget` must be an integer from 0 to 20/);
    });

    it("accepts the documented increment form `0/6`", () => {
        const problems: string[] = [];
        const settings = collectSettings({ sources: { devices: source }, schedule: { expression: "cron(0 0/6 * * ? *)" } }, true, [...SETTING_KEYS], problems);
        assert.deepEqual(problems, []);
        assert.equal(settings?.schedule.expression, "cron(0 0/6 * * ? *)");
    });

    for (const [what, raw, expected] of [
        [
            "an unknown key",
            { sources: { devices: { ...source, pagnation: {} } } },
            /`collect\.sources\.devices\.pagnation` is not a known setting; did you mean `collect\.sources\.devices\.pagination`\?/,
        ],
        [
            "a pagination style it does not know",
            { sources: { devices: { ...source, pagination: { style: "offset" } } } },
            /`collect\.sources\.devices\.pagination\.style` must be one of `cursor`, `page`, `link` \(got `offset`\): run `pulumi config set --path 'collect\.sources\.devices\.pagination\.style' link`/,
        ],
        [
            "a cursor style without its fields",
            { sources: { devices: { ...source, pagination: { style: "cursor" } } } },
            /`collect\.sources\.devices\.pagination\.cursorField` is required/,
        ],
        ["a path that escapes", { sources: { devices: { ...source, path: "/../admin?x=1" } } }, /`collect\.sources\.devices\.path` must be a path/],
        ["`{item}` without a fan-out", { sources: { devices: { ...source, path: "/devices/{item}" } } }, /has `\{item\}` but the source has no `fanOut`/],
        ["a fan-out without `{item}`", { sources: { devices: { ...source, fanOut: { itemList: "inputs/d.json" } } } }, /needs exactly one `\{item\}`/],
        [
            "an item list under a page prefix",
            { sources: { devices: { ...source, path: "/d/{item}", fanOut: { itemList: "devices/d.json" } } } },
            /lies under a source's page prefix/,
        ],
        ["a credential in the query", { sources: { devices: { ...source, query: { api_key: "x" } } } }, /looks like a credential/],
        ["a source name that is not a key prefix", { sources: { "Dev ices": source } }, /a source name must be 1 to 40/],
        [
            "limits for an API no source calls",
            { sources: { devices: source }, apiLimits: { social: { maxConcurrency: 1 } } },
            /`collect\.apiLimits\.social` is for an API no source calls/,
        ],
        [
            "a concurrency out of range",
            { sources: { devices: source }, apiLimits: { telemetry: { maxConcurrency: 0 } } },
            /maxConcurrency` must be an integer from 1 to 40/,
        ],
        ["a schedule Scheduler refuses", { sources: { devices: source }, schedule: { expression: "every hour" } }, /`collect\.schedule\.expression` must be/],
        ["an unknown time zone", { sources: { devices: source }, schedule: { timezone: "Mars/Olympus" } }, /must be an IANA time zone/],
        ["retries out of Scheduler's range", { sources: { devices: source }, schedule: { retryAttempts: 186 } }, /from 0 to 185/],
        ["no sources", { sources: {} }, /needs at least one source/],
        [
            "an API named like a setting",
            { sources: { devices: { ...source, api: "tags" } } },
            /`collect\.sources\.devices\.api`: `tags` is a setting of this project/,
        ],
        [
            "a page parameter that is also a static query parameter",
            { sources: { devices: { ...source, query: { page: 2 }, pagination: { style: "page", pageParam: "page" } } } },
            /`collect\.sources\.devices\.pagination\.pageParam` `page` is also a static query parameter: run `pulumi config rm --path 'collect\.sources\.devices\.query\.page'`/,
        ],
        [
            "an API of another workflow",
            { sources: { devices: { ...source, api: "payment" } } },
            /`collect\.sources\.devices\.api`: `payment` belongs to another workflow/,
        ],
        ["a path with a `..` segment", { sources: { devices: { ...source, path: "/../../admin" } } }, /`collect\.sources\.devices\.path` must be a path/],
        [
            "an item list key with a `..` segment",
            { sources: { devices: { ...source, path: "/d/{item}", fanOut: { itemList: "inputs/../x.json" } } } },
            /`collect\.sources\.devices\.fanOut\.itemList` must be/,
        ],
        [
            "a cron expression Scheduler refuses (no `?`)",
            { sources: { devices: source }, schedule: { expression: "cron(0 * * * * *)" } },
            /exactly one of day-of-month and day-of-week must be `\?`/,
        ],
        [
            "a `*/<step>` increment, which Scheduler's cron page never shows",
            { sources: { devices: source }, schedule: { expression: "cron(0 */6 */2 * ? *)" } },
            /increments as `<start>\/<step>`, not `\*\/<step>`: run `pulumi config set --path 'collect\.schedule\.expression' 'cron\(0 0\/6 1\/2 \* \? \*\)'`/,
        ],
        [
            "more child executions than the Map's output can hold",
            { sources: { devices: { ...source, path: "/d/{item}", fanOut: { itemList: "inputs/d.json", batchSize: 1, maxItems: 5000 } } } },
            /makes more than 800 child executions: run `pulumi config set --path 'collect\.sources\.devices\.fanOut\.batchSize' 7`/,
        ],
        [
            "a batch that would outgrow an execution's history",
            { sources: { devices: { ...source, path: "/d/{item}", maxPages: 100, fanOut: { itemList: "inputs/d.json", batchSize: 50 } } } },
            /can need 100500 history events in one child execution \(Step Functions keeps 25,000\): run `pulumi config set --path 'collect\.sources\.devices\.fanOut\.batchSize' 11`/,
        ],
    ] as const) {
        it(`names ${what}, with the command that fixes it`, () => {
            const problems = problemsOf(raw);
            assert.ok(
                problems.some((p) => (expected as RegExp).test(p)),
                problems.join("\n"),
            );
            assert.ok(
                problems.every((p) => /`pulumi config (set|rm)|name the API otherwise/.test(p)),
                problems.join("\n"),
            );
        });
    }

    it("makes a source's API a known top-level key that must be configured, and refuses `collect` when the workflow is off", () => {
        const dev = readStackFile("dev", path.join(__dirname, "..", ".."));
        const raw = Object.fromEntries(
            Object.entries(dev.pulumiConfig)
                .filter(([k]) => k.startsWith("sfn-http-workflows:"))
                .map(([k, v]) => [k.split(":")[1], v]),
        );
        delete raw.secrets;
        const collect = typeof raw.collect === "string" ? JSON.parse(raw.collect) : JSON.parse(JSON.stringify(raw.collect));
        collect.sources.weather = { ...source, api: "weather" };
        // Every secret the dev stack's APIs need.
        const secrets = new Set(credentialPaths(raw));
        assert.throws(
            () => validateStackConfig({ ...raw, collect }, secrets, "eu-west-1"),
            (e: ConfigError) => e.problems.some((p) => p.startsWith("`weather` is required")),
        );
        const settings = validateStackConfig(
            { ...raw, collect, weather: { baseUrl: "https://api.weather.example.com", auth: { type: "none" } } },
            secrets,
            "eu-west-1",
        );
        assert.equal(settings.apis.weather.baseUrl, "https://api.weather.example.com");
        assert.throws(
            () => validateStackConfig({ ...raw, workflowType: "EXPRESS" }, secrets, "eu-west-1"),
            (e: ConfigError) => e.problems.some((p) => p.startsWith("`workflowType` must be `STANDARD` when `collect` is enabled")),
        );
        assert.throws(
            () => validateStackConfig({ ...raw, workflows: ["order", "comments"] }, secrets, "eu-west-1"),
            (e: ConfigError) =>
                e.problems.some((p) => p.startsWith("`collect` is set but the `collect` workflow is not enabled")) &&
                e.problems.some((p) => p.startsWith("`telemetry` is set but no enabled workflow calls it")),
        );
    });
});
