import * as assert from "node:assert/strict";
import { CONFIG_KEYS, ConfigError, RawConfig, secretPathsOf, secretShapeOf, validateStackConfig } from "../../deploy/stack-config/validate";
import { WORKFLOWS } from "../../deploy/workflows/catalogue";

/** Any API the saga calls besides the three the fixture spells out (README "Add an API"), as a plain API-key one. */
const moreApis = WORKFLOWS.order.apis.filter((api) => !["payment", "inventory", "shipping"].includes(api));
const valid: RawConfig = {
    payment: { provider: "stripe", baseUrl: "https://pay.example.com/v1", auth: { type: "apiKey", headerName: "Authorization" } },
    inventory: { baseUrl: "https://inventory.example.com", auth: { type: "basic", username: "orders" } },
    shipping: { baseUrl: "https://ship.example.com", auth: { type: "oauth", tokenUrl: "https://auth.ship.example.com/token", clientId: "orders" } },
    ...Object.fromEntries(moreApis.map((api) => [api, { baseUrl: `https://${api}.example.com`, auth: { type: "apiKey", headerName: "X-Api-Key" } }])),
};
const secrets = new Set(["payment.apiKey", "inventory.password", "shipping.clientSecret", ...moreApis.map((api) => `${api}.apiKey`)]);

function problemsOf(raw: RawConfig, paths: ReadonlySet<string> = secrets, region: unknown = "eu-west-1"): readonly string[] {
    try {
        validateStackConfig(raw, paths, region);
    } catch (e) {
        if (e instanceof ConfigError) return e.problems;
        throw e;
    }
    return [];
}
const withPayment = (payment: unknown): RawConfig => ({ ...valid, payment });
const without = (path: string) => new Set([...secrets].filter((p) => p !== path));

describe("stack config validation", () => {
    it("accepts a complete config and applies defaults", () => {
        const settings = validateStackConfig(valid, secrets, "eu-west-1");
        assert.deepEqual([settings.region, settings.workflows, Object.keys(settings.apis)], ["eu-west-1", ["order"], [...WORKFLOWS.order.apis]]);
        assert.deepEqual(settings.workflow, {
            type: "STANDARD",
            logLevel: "ERROR",
            logIncludeExecutionData: false,
            logRetentionDays: 30,
            tracing: false,
            publishVersions: false,
            testStateAccess: false,
        });
        assert.deepEqual(settings.apis.shipping.auth, {
            type: "oauth",
            tokenUrl: "https://auth.ship.example.com/token",
            httpMethod: "POST",
            clientId: "orders",
            tokenParameters: { headers: {}, queryStrings: {}, bodies: {} },
        });
        assert.equal(settings.paymentProvider, "stripe");
    });

    it("reads values as Pulumi stores them: JSON strings and `true`/`14` strings", () => {
        const settings = validateStackConfig(
            { ...valid, payment: JSON.stringify(valid.payment), tracing: "true", logRetentionDays: "14", notificationEmails: '["a@example.com"]' },
            secrets,
            "us-east-1",
        );
        assert.equal(settings.apis.payment.baseUrl, "https://pay.example.com/v1");
        assert.deepEqual([settings.workflow.tracing, settings.workflow.logRetentionDays, settings.notifications.emails], [true, 14, ["a@example.com"]]);
    });

    const table: [string, RawConfig, ReadonlySet<string>, string[]][] = [
        [
            "a missing API",
            { ...valid, inventory: undefined },
            without("inventory.password"),
            ["`inventory` is required: run `pulumi config set --path 'inventory.baseUrl' https://api.example.com` and set `inventory.auth`."],
        ],
        [
            "an http base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "http://pay.example.com" }),
            secrets,
            ["`payment.baseUrl` must use `https://` (got `http://pay.example.com`): run `pulumi config set --path 'payment.baseUrl' https://pay.example.com`."],
        ],
        [
            "a query string in a base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "https://pay.example.com/v1?key=1" }),
            secrets,
            [
                "`payment.baseUrl` must not contain a query string (use `QueryParameters`) (got `https://pay.example.com/v1?…`): run `pulumi config set --path 'payment.baseUrl' https://pay.example.com/v1`.",
            ],
        ],
        [
            "a fragment in a base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "https://pay.example.com/#x" }),
            secrets,
            [
                "`payment.baseUrl` must not contain a fragment (got `https://pay.example.com/#…`): run `pulumi config set --path 'payment.baseUrl' https://pay.example.com`.",
            ],
        ],
        [
            "credentials in a base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "https://u:p@pay.example.com" }),
            secrets,
            [
                "`payment.baseUrl` holds credentials in a URL (not shown; they belong in `secrets.<api>`): run `pulumi config set --path 'payment.baseUrl' https://pay.example.com`.",
            ],
        ],
        [
            "a missing base URL",
            withPayment({ auth: { type: "apiKey", headerName: "Authorization" } }),
            secrets,
            ["`payment.baseUrl` is required: run `pulumi config set --path 'payment.baseUrl' <value>`."],
        ],
        [
            "an unknown auth type",
            withPayment({ baseUrl: "https://pay.example.com", auth: { type: "digest" } }),
            without("payment.apiKey"),
            ["`payment.auth.type` must be one of `basic`, `apiKey`, `oauth`, `none` (got `digest`): run `pulumi config set --path 'payment.auth.type' basic`."],
        ],
        [
            "a basic auth without username",
            { ...valid, inventory: { baseUrl: "https://inventory.example.com", auth: { type: "basic" } } },
            secrets,
            ["`inventory.auth.username` is required when `inventory.auth.type` is `basic`: run `pulumi config set --path 'inventory.auth.username' <value>`."],
        ],
        [
            "an API key auth without header name",
            withPayment({ baseUrl: "https://pay.example.com", auth: { type: "apiKey" } }),
            secrets,
            ["`payment.auth.headerName` is required when `payment.auth.type` is `apiKey`: run `pulumi config set --path 'payment.auth.headerName' <value>`."],
        ],
        [
            "an OAuth auth with an http token URL and a bad method",
            {
                ...valid,
                shipping: {
                    baseUrl: "https://ship.example.com",
                    auth: { type: "oauth", tokenUrl: "http://auth.example.com", clientId: "c", httpMethod: "PATCH" },
                },
            },
            secrets,
            [
                "`shipping.auth.tokenUrl` must use `https://` (got `http://auth.example.com`): run `pulumi config set --path 'shipping.auth.tokenUrl' https://auth.example.com`.",
                "`shipping.auth.httpMethod` must be one of `GET`, `POST`, `PUT` (got `PATCH`): run `pulumi config set --path 'shipping.auth.httpMethod' POST`.",
            ],
        ],
        [
            "a missing secret",
            valid,
            without("payment.apiKey"),
            ["`secrets.payment.apiKey` is missing for `payment.auth.type` `apiKey`: run `pulumi config set --secret --path 'secrets.payment.apiKey' <value>`."],
        ],
        [
            "a secret the auth type does not use",
            valid,
            new Set([...secrets, "payment.password"]),
            ["`secrets.payment.password` is not used by `payment.auth.type` `apiKey`: remove it with `pulumi config rm --path 'secrets.payment.password'`."],
        ],
        [
            "a secret for an API that is not configured",
            valid,
            new Set([...secrets, "comments.password"]),
            ["`secrets.comments` belongs to no API an enabled workflow calls: run `pulumi config rm --path 'secrets.comments'`."],
        ],
        [
            "a credential-like plain invocation parameter",
            withPayment({ ...(valid.payment as object), invocationParameters: { headers: { "X-Auth-Token": "abc" } } }),
            secrets,
            [
                `\`payment.invocationParameters.headers.X-Auth-Token\` looks like a credential and must be secret: run \`pulumi config set --secret --path 'secrets.payment.invocationParameters.headers.X-Auth-Token' "$(pulumi config get --path 'payment.invocationParameters.headers.X-Auth-Token')"\`, then \`pulumi config rm --path 'payment.invocationParameters.headers.X-Auth-Token'\`.`,
            ],
        ],
        [
            "an invalid header name",
            withPayment({ ...(valid.payment as object), invocationParameters: { headers: { "Bad Header": "x" } } }),
            secrets,
            [
                "`payment.invocationParameters.headers.Bad Header`: `Bad Header` is not a valid header name: run `pulumi config rm --path 'payment.invocationParameters.headers.Bad Header'`.",
            ],
        ],
        [
            "a misspelt key",
            withPayment({ ...(valid.payment as object), baseURL: "x" }),
            secrets,
            [
                "`payment.baseURL` is not a known setting; did you mean `payment.baseUrl`? Run `pulumi config rm --path 'payment.baseURL'`, then `pulumi config set --path 'payment.baseUrl' <value>`.",
            ],
        ],
        [
            "a bad workflow type, log level and retention",
            { ...valid, workflowType: "FAST", logLevel: "DEBUG", logRetentionDays: 10 },
            secrets,
            [
                "`logRetentionDays` must be one of the periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got `10`: run `pulumi config set --path 'logRetentionDays' 30`.",
                "`workflowType` must be one of `STANDARD`, `EXPRESS` (got `FAST`): run `pulumi config set --path 'workflowType' STANDARD`.",
                "`logLevel` must be one of `ALL`, `ERROR`, `FATAL`, `OFF` (got `DEBUG`): run `pulumi config set --path 'logLevel' ERROR`.",
            ],
        ],
        [
            "a non-boolean flag",
            { ...valid, tracing: "yes" },
            secrets,
            ["`tracing` must be `true` or `false` (got `yes`): run `pulumi config set --path 'tracing' false`."],
        ],
        [
            "bad notification endpoints",
            { ...valid, notificationEmails: ["not-an-email"], notificationSmsNumbers: ["555-0100"] },
            secrets,
            [
                "`notificationEmails[0]`: `not-an-email` is not an email address: run `pulumi config set --path 'notificationEmails[0]' <value>`.",
                "`notificationSmsNumbers[0]`: `555-0100` is not an E.164 phone number such as `+14155550100`: run `pulumi config set --path 'notificationSmsNumbers[0]' <value>`.",
            ],
        ],
        [
            "reserved and non-string tags",
            { ...valid, tags: { "aws:owner": "me" } },
            secrets,
            ["`tags.aws:owner`: the `aws:` prefix is reserved by AWS: run `pulumi config rm --path 'tags.aws:owner'`."],
        ],
        [
            "an empty KMS key",
            withPayment({ ...(valid.payment as object), kmsKeyId: "" }),
            secrets,
            ["`payment.kmsKeyId` must be a KMS key ARN, key id, alias or alias ARN: run `pulumi config set --path 'payment.kmsKeyId' alias/<name>`."],
        ],
        [
            "an unknown parameter section",
            withPayment({ ...(valid.payment as object), invocationParameters: { cookies: { a: "b" } } }),
            secrets,
            [
                "`payment.invocationParameters.cookies` is not a known setting (known: `headers`, `queryStrings`, `bodies`): run `pulumi config rm --path 'payment.invocationParameters.cookies'`.",
            ],
        ],
        [
            "a parameter value that is a list",
            withPayment({ ...(valid.payment as object), invocationParameters: { bodies: { retries: [3] } } }),
            secrets,
            [
                "`payment.invocationParameters.bodies.retries` must be a string: run `pulumi config rm --path 'payment.invocationParameters.bodies.retries'`, then `pulumi config set --path 'payment.invocationParameters.bodies.retries' <value>`.",
            ],
        ],
        [
            "a secret in an unknown parameter section",
            valid,
            new Set([...secrets, "payment.invocationParameters.cookies.session"]),
            [
                "`secrets.payment.invocationParameters.cookies` must be one of `headers`, `queryStrings`, `bodies`: run `pulumi config rm --path 'secrets.payment.invocationParameters.cookies'`.",
            ],
        ],
        [
            "token parameters on a non-OAuth API",
            valid,
            new Set([...secrets, "payment.tokenParameters.bodies.scope"]),
            [
                "`secrets.payment.tokenParameters` is not used by `payment.auth.type` `apiKey`: remove it with `pulumi config rm --path 'secrets.payment.tokenParameters'`.",
            ],
        ],
        [
            "a comments value that is not an object",
            { ...valid, workflows: ["order", "comments"], comments: "yes" },
            secrets,
            ["`comments` is required: run `pulumi config set --path 'comments.baseUrl' https://api.example.com` and set `comments.auth`."],
        ],
        [
            "a notification list that is not a list",
            { ...valid, notificationEmails: "a@example.com" },
            secrets,
            [
                "`notificationEmails` must be a list of strings: run `pulumi config rm --path 'notificationEmails'`, then `pulumi config set --path 'notificationEmails[0]' <value>`.",
            ],
        ],
        [
            "non-string tag values",
            { ...valid, tags: { cost: 12 } },
            secrets,
            ["`tags` must map tag names to string values: run `pulumi config set --path 'tags.team' <value>`."],
        ],
        [
            "an unknown payment provider",
            withPayment({ ...(valid.payment as object), provider: "paypal" }),
            secrets,
            ["`payment.provider` must be one of `stripe` (got `paypal`): run `pulumi config set --path 'payment.provider' stripe`."],
        ],
        [
            "a Stripe connection that would not send the secret key as a bearer token",
            withPayment({ ...(valid.payment as object), auth: { type: "basic", username: "sk_test_123" } }),
            new Set(["payment.password", ...[...secrets].filter((p) => !p.startsWith("payment."))]),
            [
                "`payment.auth` must be `{ type: apiKey, headerName: Authorization }` for Stripe, which takes the secret key as `Authorization: Bearer sk_...`: run `pulumi config set --path 'payment.auth.type' apiKey` and `pulumi config set --path 'payment.auth.headerName' Authorization`, then `pulumi config set --secret --path 'secrets.payment.apiKey' 'Bearer sk_test_...'`.",
            ],
        ],
        [
            "a missing auth block",
            withPayment({ baseUrl: "https://pay.example.com" }),
            without("payment.apiKey"),
            ["`payment.auth` is required: run `pulumi config set --path 'payment.auth.type' basic` (or `apiKey`, `oauth`, `none`) and set its fields."],
        ],
        [
            "an enabled comments workflow whose API has Basic auth but no secret",
            { ...valid, workflows: ["order", "comments"], comments: { auth: { type: "basic", username: "demo" } } },
            secrets,
            [
                "`secrets.comments.password` is missing for `comments.auth.type` `basic`: run `pulumi config set --secret --path 'secrets.comments.password' <value>`.",
            ],
        ],
        [
            "a misspelt top-level key",
            { ...valid, logLevl: "ALL" },
            secrets,
            [
                "`logLevl` is not a known setting; did you mean `logLevel`? Run `pulumi config rm --path 'logLevl'`, then `pulumi config set --path 'logLevel' <value>`.",
            ],
        ],
        [
            "a misspelt API key, which also leaves the API missing",
            { ...valid, paymnt: valid.payment, payment: undefined },
            without("payment.apiKey"),
            [
                "`paymnt` is not a known setting; did you mean `payment`? Run `pulumi config rm --path 'paymnt'`, then `pulumi config set --path 'payment' <value>`.",
                "`payment` is required: run `pulumi config set --path 'payment.baseUrl' https://api.example.com` and set `payment.auth`.",
            ],
        ],
        [
            "an unknown top-level key with no near match",
            { ...valid, frobnicate: true },
            secrets,
            [
                // Every API some workflow calls, then the other settings.
                `\`frobnicate\` is not a known setting (known: ${CONFIG_KEYS.map((k) => `\`${k}\``).join(", ")}): run \`pulumi config rm --path 'frobnicate'\`.`,
            ],
        ],
        [
            "an unknown workflow",
            { ...valid, workflows: ["order", "comets"] },
            secrets,
            [
                "`workflows[1]`: `comets` is not a workflow (`order`, `comments`, `collect`); did you mean `comments`? Run `pulumi config set --path 'workflows[1]' comments`.",
                // What the guess needs is said at once, after the guess (applying it alone would leave this).
                "`comments` is required: run `pulumi config set --path 'comments.baseUrl' https://api.example.com` and set `comments.auth`.",
            ],
        ],
        [
            "an API that no enabled workflow calls",
            { ...valid, comments: { auth: { type: "none" } } },
            secrets,
            [
                "`comments` is set but no enabled workflow calls it (workflows: `order`): run `pulumi config rm --path 'comments'`, or enable a workflow that calls it with `pulumi config set --path 'workflows[1]' <workflow>`.",
            ],
        ],
        [
            "an auth block without a type",
            { ...valid, inventory: { baseUrl: "https://inventory.example.com", auth: { username: "orders" } } },
            without("inventory.password"),
            ["`inventory.auth.type` is required (one of `basic`, `apiKey`, `oauth`, `none`): run `pulumi config set --path 'inventory.auth.type' basic`."],
        ],
        [
            "private connectivity with a malformed VPC, no subnets and an unknown field",
            { ...valid, inventory: { ...(valid.inventory as object), private: { vpcId: "vpc-1", subnetIds: [], zone: "a" } } },
            secrets,
            [
                "`inventory.private.zone` is not a known setting (known: `resourceConfigurationArn`, `vpcId`, `subnetIds`, `securityGroupIds`): run `pulumi config rm --path 'inventory.private.zone'`.",
                "`inventory.private.vpcId` must be a VPC id such as `vpc-0abc12345678def90` (got `vpc-1`): run `pulumi config set --path 'inventory.private.vpcId' <vpc-id>`.",
                "`inventory.private.subnetIds` must be a non-empty list of subnet ids: run `pulumi config set --path 'inventory.private.subnetIds[0]' <subnet-id>`.",
            ],
        ],
        [
            "private connectivity with both a resource configuration and a VPC",
            {
                ...valid,
                inventory: {
                    ...(valid.inventory as object),
                    private: {
                        resourceConfigurationArn: "arn:aws:vpc-lattice:eu-west-1:123456789012:resourceconfiguration/rcfg-0123456789abcdef0",
                        vpcId: "vpc-0abc12345678def90",
                    },
                },
            },
            secrets,
            [
                "`inventory.private`: `resourceConfigurationArn` goes alone (the gateway and subnets are its own): run `pulumi config rm --path 'inventory.private.vpcId'`.",
            ],
        ],
        [
            "monitoring without the execution logs it reads",
            { ...valid, logLevel: "OFF", monitoring: { enabled: true } },
            secrets,
            [
                "`monitoring` needs `logLevel` `ERROR` or `ALL` (got `OFF`): the failure metrics come from the execution logs: run `pulumi config set --path 'logLevel' ERROR`.",
            ],
        ],
        [
            "monitoring with a bad email, period and threshold, and a misspelt threshold",
            { ...valid, monitoring: { enabled: true, alarmEmails: ["oncall"], periodSeconds: 90, thresholds: { aborted: 0, timedOt: 2 } } },
            secrets,
            [
                "`monitoring.alarmEmails` must be a list of email addresses: run `pulumi config rm --path 'monitoring.alarmEmails'`, then `pulumi config set --path 'monitoring.alarmEmails[0]' ops@example.com`.",
                "`monitoring.periodSeconds` must be a whole number of minutes in seconds (60, 300, …) (got `90`): run `pulumi config set --path 'monitoring.periodSeconds' 300`.",
                "`monitoring.thresholds.timedOt` is not a known setting; did you mean `monitoring.thresholds.timedOut`? Run `pulumi config rm --path 'monitoring.thresholds.timedOt'`, then `pulumi config set --path 'monitoring.thresholds.timedOut' <value>`.",
                "`monitoring.thresholds.aborted` must be a positive integer (got `0`): run `pulumi config set --path 'monitoring.thresholds.aborted' 1`.",
            ],
        ],
        [
            "an intake with a bad auth, throttle and retention, for a stack without the order workflow",
            {
                workflows: ["comments"],
                comments: { auth: { type: "none" } },
                intake: { enabled: true, auth: "cognito", throttle: { rateLimit: -1, burst: 5 }, accessLogRetentionDays: 10 },
            },
            new Set<string>(),
            [
                "`intake.auth` must be `iam` or `apiKey` (got `cognito`): run `pulumi config set --path 'intake.auth' iam`.",
                "`intake.throttle.burst` is not a known setting (known: `rateLimit`, `burstLimit`): run `pulumi config rm --path 'intake.throttle.burst'`.",
                "`intake.throttle.rateLimit` must be a positive number (got `-1`): run `pulumi config set --path 'intake.throttle.rateLimit' 50`.",
                "`intake.accessLogRetentionDays` must be a period CloudWatch Logs accepts (got `10`): run `pulumi config set --path 'intake.accessLogRetentionDays' 30`.",
                "`intake` starts the `order` workflow, which this stack does not enable: run `pulumi config set --path 'workflows[1]' order`.",
            ],
        ],
        [
            "numbers of the wrong type: a boolean, a one-item list and a hexadecimal string",
            { ...valid, logRetentionDays: "0x1e", intake: { throttle: { rateLimit: true, burstLimit: [5] } }, monitoring: { periodSeconds: "0x12c" } },
            secrets,
            [
                "`logRetentionDays` must be one of the periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got `0x1e`: run `pulumi config set --path 'logRetentionDays' 30`.",
                "`monitoring.periodSeconds` must be a whole number of minutes in seconds (60, 300, …) (got `0x12c`): run `pulumi config set --path 'monitoring.periodSeconds' 300`.",
                "`intake.throttle.rateLimit` must be a positive number (got `true`): run `pulumi config set --path 'intake.throttle.rateLimit' 50`.",
                "`intake.throttle.burstLimit` must be a positive integer (got `5`): run `pulumi config set --path 'intake.throttle.burstLimit' 100`.",
            ],
        ],
    ];
    for (const [what, raw, paths, expected] of table) {
        it(`reports ${what}`, () => assert.deepEqual(problemsOf(raw, paths), expected));
    }

    it("lists every problem at once in one error message", () => {
        assert.throws(() => validateStackConfig({ ...valid, tracing: "yes" }, without("payment.apiKey"), "eu-west-1"), {
            name: "ConfigError",
            message:
                "Invalid `sfn-http-workflows` stack configuration:\n" +
                "  - `secrets.payment.apiKey` is missing for `payment.auth.type` `apiKey`: run `pulumi config set --secret --path 'secrets.payment.apiKey' <value>`.\n" +
                "  - `tracing` must be `true` or `false` (got `yes`): run `pulumi config set --path 'tracing' false`.",
        });
    });

    it("accepts private connectivity through an existing resource configuration or a VPC's subnets", () => {
        const arn = "arn:aws:vpc-lattice:eu-west-1:123456789012:resourceconfiguration/rcfg-0123456789abcdef0";
        const viaArn = validateStackConfig(
            { ...valid, inventory: { ...(valid.inventory as object), private: { resourceConfigurationArn: arn } } },
            secrets,
            "eu-west-1",
        );
        assert.deepEqual(viaArn.apis.inventory.private, { resourceConfigurationArn: arn });
        const viaVpc = validateStackConfig(
            { ...valid, inventory: { ...(valid.inventory as object), private: { vpcId: "vpc-07f3c29a81d4e6b05", subnetIds: ["subnet-0e4b8d2c6a1f93757"] } } },
            secrets,
            "eu-west-1",
        );
        assert.deepEqual(viaVpc.apis.inventory.private, { vpcId: "vpc-07f3c29a81d4e6b05", subnetIds: ["subnet-0e4b8d2c6a1f93757"], securityGroupIds: [] });
    });

    it("defaults monitoring to off, and takes thresholds per stack", () => {
        assert.deepEqual(validateStackConfig(valid, secrets, "eu-west-1").monitoring, {
            enabled: false,
            alarmEmails: [],
            periodSeconds: 300,
            thresholds: { timedOut: 1, aborted: 1, throttled: 1, technicalFailures: 1 },
        });
        const on = validateStackConfig(
            { ...valid, monitoring: '{"enabled":true,"alarmEmails":["oncall@example.com"],"thresholds":{"technicalFailures":5}}' },
            secrets,
            "eu-west-1",
        );
        assert.deepEqual([on.monitoring.enabled, on.monitoring.alarmEmails, on.monitoring.thresholds.technicalFailures], [true, ["oncall@example.com"], 5]);
    });

    it("enables workflows by name: the comments workflow's public API needs no secret and defaults its base URL", () => {
        const on = validateStackConfig({ ...valid, workflows: '["order","comments"]', comments: { auth: { type: "none" } } }, secrets, "eu-west-1");
        assert.deepEqual(on.workflows, ["order", "comments"]);
        assert.deepEqual(on.apis.comments, {
            baseUrl: "https://jsonplaceholder.typicode.com",
            auth: { type: "none" },
            invocationParameters: { headers: {}, queryStrings: {}, bodies: {} },
        });
        const commentsOnly = validateStackConfig({ workflows: ["comments"], comments: { auth: { type: "none" } } }, new Set(), "eu-west-1");
        assert.deepEqual(Object.keys(commentsOnly.apis), ["comments"]);
    });

    const regions: [string, unknown, string][] = [
        ["missing", undefined, "`aws:region` is required (the stack's region): run `pulumi config set aws:region us-east-1`."],
        [
            "misspelt",
            "eu-wset-1",
            "`aws:region`: `eu-wset-1` is not a region the AWS provider knows; did you mean `eu-west-1`? Run `pulumi config set aws:region eu-west-1`.",
        ],
        ["far-off", "moon-base-1", "`aws:region`: `moon-base-1` is not a region the AWS provider knows: run `pulumi config set aws:region us-east-1`."],
    ];
    for (const [what, region, message] of regions) {
        it(`reports a ${what} aws:region`, () => {
            assert.throws(
                () => validateStackConfig(valid, secrets, region),
                (e: ConfigError) => assert.deepEqual(e.problems, [message]) === undefined,
            );
        });
    }

    it("reduces secrets to their shape and paths without keeping values", () => {
        const shape = secretShapeOf({ payment: { apiKey: "sk_live_123", invocationParameters: { headers: { "X-Token": "t" } } } });
        assert.deepEqual(shape, { payment: { apiKey: true, invocationParameters: { headers: { "X-Token": true } } } });
        assert.deepEqual([...secretPathsOf(shape)], ["payment.apiKey", "payment.invocationParameters.headers.X-Token"]);
        assert.equal(JSON.stringify(shape).includes("sk_live_123"), false);
    });
});
