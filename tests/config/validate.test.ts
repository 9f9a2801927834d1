import * as assert from "node:assert/strict";
import { ConfigError, RawConfig, secretPathsOf, secretShapeOf, validateStackConfig } from "../../stack-config/validate";

const valid: RawConfig = {
    payment: { provider: "stripe", baseUrl: "https://pay.example.com/v1", auth: { type: "apiKey", headerName: "Authorization" } },
    inventory: { baseUrl: "https://inventory.example.com", auth: { type: "basic", username: "orders" } },
    shipping: { baseUrl: "https://ship.example.com", auth: { type: "oauth", tokenUrl: "https://auth.ship.example.com/token", clientId: "orders" } },
};
const secrets = new Set(["payment.apiKey", "inventory.password", "shipping.clientSecret"]);

function problemsOf(raw: RawConfig, paths: ReadonlySet<string> = secrets): readonly string[] {
    try {
        validateStackConfig(raw, paths);
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
        const settings = validateStackConfig(valid, secrets);
        assert.deepEqual(settings.workflow, {
            type: "STANDARD",
            logLevel: "ERROR",
            logIncludeExecutionData: false,
            logRetentionDays: 30,
            tracing: false,
            publishVersions: false,
        });
        assert.deepEqual(settings.apis.shipping.auth, {
            type: "oauth",
            tokenUrl: "https://auth.ship.example.com/token",
            httpMethod: "POST",
            clientId: "orders",
            tokenParameters: { headers: {}, queryStrings: {}, bodies: {} },
        });
        assert.equal(settings.comments, undefined);
    });

    it("reads values as Pulumi stores them: JSON strings and `true`/`14` strings", () => {
        const settings = validateStackConfig(
            { ...valid, payment: JSON.stringify(valid.payment), tracing: "true", logRetentionDays: "14", notificationEmails: '["a@example.com"]' },
            secrets,
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
            ["`payment.baseUrl` must use `https://` (got `http://pay.example.com`)."],
        ],
        [
            "a query string in a base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "https://pay.example.com/v1?key=1" }),
            secrets,
            ["`payment.baseUrl` must not contain a query string (use `QueryParameters`) (got `https://pay.example.com/v1?key=1`)."],
        ],
        [
            "a fragment in a base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "https://pay.example.com/#x" }),
            secrets,
            ["`payment.baseUrl` must not contain a fragment (got `https://pay.example.com/#x`)."],
        ],
        [
            "credentials in a base URL",
            withPayment({ ...(valid.payment as object), baseUrl: "https://u:p@pay.example.com" }),
            secrets,
            ["`payment.baseUrl` must not contain credentials (use an EventBridge connection) (got `https://u:p@pay.example.com`)."],
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
            ["`payment.auth.type` must be one of `basic`, `apiKey`, `oauth` (got `digest`)."],
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
                "`shipping.auth.tokenUrl` must use `https://` (got `http://auth.example.com`).",
                "`shipping.auth.httpMethod` must be one of `GET`, `POST`, `PUT` (got `PATCH`).",
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
            ["`secrets.comments` belongs to no configured API: remove it with `pulumi config rm --path 'secrets.comments'`."],
        ],
        [
            "a credential-like plain invocation parameter",
            withPayment({ ...(valid.payment as object), invocationParameters: { headers: { "X-Auth-Token": "abc" } } }),
            secrets,
            [
                "`payment.invocationParameters.headers.X-Auth-Token` looks like a credential and must be secret: remove it and run `pulumi config set --secret --path 'secrets.payment.invocationParameters.headers.X-Auth-Token' <value>`.",
            ],
        ],
        [
            "an invalid header name",
            withPayment({ ...(valid.payment as object), invocationParameters: { headers: { "Bad Header": "x" } } }),
            secrets,
            ["`payment.invocationParameters.headers.Bad Header`: `Bad Header` is not a valid header name."],
        ],
        [
            "a misspelt key",
            withPayment({ ...(valid.payment as object), baseURL: "x" }),
            secrets,
            ["`payment.baseURL` is not a known setting; expected one of `baseUrl`, `auth`, `invocationParameters`, `kmsKeyId`, `provider`."],
        ],
        [
            "a bad workflow type, log level and retention",
            { ...valid, workflowType: "FAST", logLevel: "DEBUG", logRetentionDays: 10 },
            secrets,
            [
                "`logRetentionDays` must be one of the periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got `10`.",
                "`workflowType` must be one of `STANDARD`, `EXPRESS` (got `FAST`).",
                "`logLevel` must be one of `ALL`, `ERROR`, `FATAL`, `OFF` (got `DEBUG`).",
            ],
        ],
        ["a non-boolean flag", { ...valid, tracing: "yes" }, secrets, ["`tracing` must be `true` or `false` (got `yes`)."]],
        [
            "bad notification endpoints",
            { ...valid, notificationEmails: ["not-an-email"], notificationSmsNumbers: ["555-0100"] },
            secrets,
            [
                "`notificationEmails`: `not-an-email` is not an email address.",
                "`notificationSmsNumbers`: `555-0100` is not an E.164 phone number such as `+14155550100`.",
            ],
        ],
        ["reserved and non-string tags", { ...valid, tags: { "aws:owner": "me" } }, secrets, ["`tags.aws:owner`: the `aws:` prefix is reserved by AWS."]],
        [
            "an empty KMS key",
            withPayment({ ...(valid.payment as object), kmsKeyId: "" }),
            secrets,
            ["`payment.kmsKeyId` must be a KMS key ARN, key id, alias or alias ARN."],
        ],
        [
            "an unknown parameter section",
            withPayment({ ...(valid.payment as object), invocationParameters: { cookies: { a: "b" } } }),
            secrets,
            ["`payment.invocationParameters.cookies` is not a known setting; expected one of `headers`, `queryStrings`, `bodies`."],
        ],
        [
            "a non-string parameter value",
            withPayment({ ...(valid.payment as object), invocationParameters: { bodies: { retries: 3 } } }),
            secrets,
            ["`payment.invocationParameters.bodies.retries` must be a string."],
        ],
        [
            "a secret in an unknown parameter section",
            valid,
            new Set([...secrets, "payment.invocationParameters.cookies.session"]),
            ["`secrets.payment.invocationParameters.cookies` must be one of `headers`, `queryStrings`, `bodies`."],
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
            { ...valid, comments: "yes" },
            secrets,
            ["`comments` must be an object such as `{ enabled: true, auth: { type: basic, username: demo } }`."],
        ],
        [
            "a notification list that is not a list",
            { ...valid, notificationEmails: "a@example.com" },
            secrets,
            ["`notificationEmails` must be a list of strings: run `pulumi config set --path 'notificationEmails[0]' <value>`."],
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
            new Set(["payment.password", "inventory.password", "shipping.clientSecret"]),
            [
                "`payment.auth` must be `{ type: apiKey, headerName: Authorization }` for Stripe, which takes the secret key as `Authorization: Bearer sk_...`: run `pulumi config set --path 'payment.auth.type' apiKey` and `pulumi config set --path 'payment.auth.headerName' Authorization`, then `pulumi config set --secret --path 'secrets.payment.apiKey' 'Bearer sk_test_...'`.",
            ],
        ],
        [
            "a missing auth block",
            withPayment({ baseUrl: "https://pay.example.com" }),
            without("payment.apiKey"),
            ["`payment.auth` is required: run `pulumi config set --path 'payment.auth.type' basic` (or `apiKey`, `oauth`) and set its fields."],
        ],
        [
            "an enabled comments demo without its secret",
            { ...valid, comments: { enabled: true, auth: { type: "basic", username: "demo" } } },
            secrets,
            [
                "`secrets.comments.password` is missing for `comments.auth.type` `basic`: run `pulumi config set --secret --path 'secrets.comments.password' <value>`.",
            ],
        ],
    ];
    for (const [what, raw, paths, expected] of table) {
        it(`reports ${what}`, () => assert.deepEqual(problemsOf(raw, paths), expected));
    }

    it("lists every problem at once in one error message", () => {
        assert.throws(() => validateStackConfig({ ...valid, tracing: "yes" }, without("payment.apiKey")), {
            name: "ConfigError",
            message:
                "Invalid `sfn-http-workflows` stack configuration:\n" +
                "  - `secrets.payment.apiKey` is missing for `payment.auth.type` `apiKey`: run `pulumi config set --secret --path 'secrets.payment.apiKey' <value>`.\n" +
                "  - `tracing` must be `true` or `false` (got `yes`).",
        });
    });

    it("defaults the comments base URL and enables it only when asked", () => {
        const on = validateStackConfig(
            { ...valid, comments: { enabled: true, auth: { type: "basic", username: "demo" } } },
            new Set([...secrets, "comments.password"]),
        );
        assert.equal(on.comments?.baseUrl, "https://jsonplaceholder.typicode.com");
        assert.equal(validateStackConfig({ ...valid, comments: { enabled: false } }, secrets).comments, undefined);
    });

    it("reduces secrets to their shape and paths without keeping values", () => {
        const shape = secretShapeOf({ payment: { apiKey: "sk_live_123", invocationParameters: { headers: { "X-Token": "t" } } } });
        assert.deepEqual(shape, { payment: { apiKey: true, invocationParameters: { headers: { "X-Token": true } } } });
        assert.deepEqual([...secretPathsOf(shape)], ["payment.apiKey", "payment.invocationParameters.headers.X-Token"]);
        assert.equal(JSON.stringify(shape).includes("sk_live_123"), false);
    });
});
