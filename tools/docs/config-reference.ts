/**
 * The configuration reference, as data: one row per key, rendered into the README by `npm run docs`
 * (a test fails when it is stale, and when a key the validation knows has no row). Workflows and
 * their APIs are listed from the catalogue, so adding one adds its rows.
 */
import { API_NAMES, DEFAULT_BASE_URLS, WORKFLOWS } from "../../deploy/workflows/catalogue";
import { PAYMENT_PROVIDERS } from "../../deploy/workflows/order/payment/provider";
import { AUTH_TYPES, WORKFLOW_DEFAULTS } from "../../deploy/stack-config/types";
import { SETTING_KEYS } from "../../deploy/stack-config/validate";

/** One row: the key (as users write it), what it means, its default, and whether it is secret. */
export interface ReferenceRow {
    readonly key: string;
    readonly meaning: string;
    readonly default: string;
    readonly secret: boolean;
}

const code = (v: unknown) => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;
const apiRows = (): ReferenceRow[] => [
    {
        key: "<api>",
        meaning: `One object per API an enabled workflow calls (${API_NAMES.map(code).join(", ")}); an API nothing calls is an error.`,
        default: "required when called",
        secret: false,
    },
    {
        key: "<api>.baseUrl",
        meaning: "API base URL: `https://` only, no query string or fragment (AWS rejects them), no user info.",
        default: "required",
        secret: false,
    },
    ...Object.entries(DEFAULT_BASE_URLS).map(([api, url]) => ({
        key: `${api}.baseUrl`,
        meaning: "A public API's default base URL.",
        default: code(url),
        secret: false,
    })),
    {
        key: "<api>.auth.type",
        meaning: `${AUTH_TYPES.map(code).join(", ")} (EventBridge \`BASIC\`, \`API_KEY\`, \`OAUTH_CLIENT_CREDENTIALS\`; \`none\`: a public API, an API-key connection with a fixed non-secret header, no secret).`,
        default: "required",
        secret: false,
    },
    { key: "<api>.auth.username", meaning: "Basic auth user name.", default: "required for `basic`", secret: false },
    {
        key: "<api>.auth.headerName",
        meaning: "Header that carries the API key, e.g. `X-Api-Key`; `Authorization` for Stripe.",
        default: "required for `apiKey`",
        secret: false,
    },
    { key: "<api>.auth.tokenUrl", meaning: "OAuth token endpoint (`https://`).", default: "required for `oauth`", secret: false },
    { key: "<api>.auth.httpMethod", meaning: "Token request method: `GET`, `POST` or `PUT`.", default: "`POST`", secret: false },
    { key: "<api>.auth.clientId", meaning: "OAuth client id.", default: "required for `oauth`", secret: false },
    {
        key: "<api>.auth.tokenParameters.{headers,queryStrings,bodies}.<name>",
        meaning: "Extra plain parameters of the token request (e.g. `scope`).",
        default: "none",
        secret: false,
    },
    {
        key: "<api>.invocationParameters.{headers,queryStrings,bodies}.<name>",
        meaning:
            "Plain parameters EventBridge adds to every call (they win over the task's). Credential-like names are refused here: put them under `secrets`.",
        default: "none",
        secret: false,
    },
    {
        key: "<api>.kmsKeyId",
        meaning:
            "Customer-managed KMS key for the connection's secret (tagged `EventBridgeApiDestinations=true`); the execution role gets `kms:Decrypt` on exactly it.",
        default: "AWS owned key",
        secret: false,
    },
    {
        key: "<api>.private.resourceConfigurationArn",
        meaning: "Reach the API privately through this existing VPC Lattice resource configuration (EventBridge private connectivity).",
        default: "over the internet",
        secret: false,
    },
    {
        key: "<api>.private.{vpcId,subnetIds,securityGroupIds}",
        meaning:
            "Reach the API privately through a VPC Lattice resource gateway in these subnets and a resource configuration for the base URL's host on port 443, both created here. The API still needs a public DNS name and a publicly trusted certificate.",
        default: "over the internet",
        secret: false,
    },
    {
        key: "payment.provider",
        meaning: `The gateway the payment API speaks: ${PAYMENT_PROVIDERS.map(code).join(", ")} (needs \`auth.type: apiKey\` with \`headerName: Authorization\`).`,
        default: "`stripe`",
        secret: false,
    },
];

const SETTINGS: Readonly<Record<(typeof SETTING_KEYS)[number], Omit<ReferenceRow, "key">>> = {
    workflows: {
        meaning: `The workflows the stack deploys: ${Object.entries(WORKFLOWS)
            .map(([name, w]) => `${code(name)} (${w.description}; calls ${w.apis.map(code).join(", ")})`)
            .join(", ")}.`,
        default: "`[order]`",
        secret: false,
    },
    workflowType: { meaning: "`STANDARD` or `EXPRESS` (cannot change after creation).", default: code(WORKFLOW_DEFAULTS.type), secret: false },
    logLevel: {
        meaning: "`ALL`, `ERROR`, `FATAL` or `OFF` (`OFF`: no log group, no log permissions).",
        default: code(WORKFLOW_DEFAULTS.logLevel),
        secret: false,
    },
    logIncludeExecutionData: { meaning: "Log execution input and output.", default: code(WORKFLOW_DEFAULTS.logIncludeExecutionData), secret: false },
    logRetentionDays: {
        meaning: "Log group retention, a period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, …).",
        default: code(WORKFLOW_DEFAULTS.logRetentionDays),
        secret: false,
    },
    tracing: { meaning: "AWS X-Ray tracing.", default: code(WORKFLOW_DEFAULTS.tracing), secret: false },
    publishVersions: { meaning: "Publish a state-machine version on every update.", default: code(WORKFLOW_DEFAULTS.publishVersions), secret: false },
    testStateAccess: {
        meaning:
            "Let the TestState API assume the execution roles (`npm run test-state -- --aws`): adds a trust statement without the state machine's `aws:SourceArn` (which TestState may not present), still refusing any other `aws:SourceAccount`. Leave off where nobody tests states on AWS.",
        default: code(WORKFLOW_DEFAULTS.testStateAccess),
        secret: false,
    },
    notificationEmails: { meaning: "Email addresses subscribed to order notifications.", default: "`[]`", secret: false },
    notificationSmsNumbers: { meaning: "E.164 numbers (`+14155550100`) subscribed by SMS.", default: "`[]`", secret: false },
    monitoring: {
        meaning:
            "Dashboards and alarms per workflow: `{ enabled, alarmEmails, periodSeconds, thresholds: { timedOut, aborted, throttled, technicalFailures } }`. Technical failures (timed out, aborted, throttled, `States.*` errors, each workflow's incidents: `CompensationFailed`, `CollectionIncomplete`, `SummaryNotPublished`; a scheduled collection that never started) page the `alarmEmails`; business outcomes (`PaymentDeclined`, `InvalidOrder`, `OrderCancelled`) only count on the dashboard. Needs `logLevel` `ERROR` or `ALL`.",
        default: "off; when on: period `300`, every threshold `1`",
        secret: false,
    },
    intake: {
        meaning:
            "The order intake API, `POST /orders` on API Gateway: `{ enabled, auth: iam|apiKey, throttle: { rateLimit, burstLimit }, accessLogRetentionDays }`. Needs the `order` workflow.",
        default: "off; when on: `iam`, 50/s burst 100, 30 days",
        secret: false,
    },
    collect: {
        meaning:
            "The scheduled collection (workflow `collect`): `{ schedule: { expression, timezone, enabled, retryAttempts, maxEventAgeSeconds }, retentionDays, eventBusName, apiLimits: { <api>: { maxConcurrency, retryAfterSeconds, attemptTimeoutSeconds, retryBudget } }, sources: { <name>: { api, path, query, pagination, itemsField, fields, maxPages, fanOut } } }`. A source's `api` is a top-level API key like the others; `pagination` is `{ style: cursor, cursorField, cursorParam }`, `{ style: page, pageParam, firstPage }` or `{ style: link }` (RFC 8288 `Link` header); `fanOut: { itemList, batchSize, maxItems, toleratedFailurePercentage }` pages `path`'s `{item}` for every id of a JSON list in the bucket, in a Distributed Map (at most 800 batches). Child executions are Express when their worst case fits 5 minutes: each HTTP attempt cut at `attemptTimeoutSeconds` (1–60, default 10) and at most `retryBudget` retries (0–20, default 3) per child, each after `retryAfterSeconds`; otherwise Standard, with the reason in the Map's `Comment`. Needs `workflowType` `STANDARD`. Pages expire after `retentionDays`.",
        default:
            "required with `collect`; schedule `rate(1 hour)` UTC, 3 retries, 3600 s; 30 days; bus `default`; per API 2 at a time, 429 wait 1 s; `maxPages` 10; fan-out batches of 50, 10,000 ids, 0% tolerated",
        secret: false,
    },
    tags: { meaning: "Tags for every taggable resource (`project` and `stack` are added).", default: "`{}`", secret: false },
    secrets: {
        meaning: "Every credential, by API (the rows below); set only with `--secret` (a plaintext value in the stack file is refused).",
        default: "`{}`",
        secret: true,
    },
    example: {
        meaning:
            "`true` marks a stack file kept as an example, never deployed: its private VPC, subnet and security-group ids may be placeholders (`vpc-0a1b2c3d…`), which every other stack refuses; synth, the tests and `pulumi preview` run it, `pulumi up` refuses it.",
        default: "`false` (the stack is deployed)",
        secret: false,
    },
};

const SECRET_ROWS: ReferenceRow[] = [
    { key: "secrets.<api>.password", meaning: "Basic auth password.", default: "required for `basic`", secret: true },
    { key: "secrets.<api>.apiKey", meaning: "API key value (Stripe: `Bearer sk_…`).", default: "required for `apiKey`", secret: true },
    { key: "secrets.<api>.clientSecret", meaning: "OAuth client secret.", default: "required for `oauth`", secret: true },
    {
        key: "secrets.<api>.invocationParameters.{headers,queryStrings,bodies}.<name>",
        meaning: "Secret invocation parameters (`IsValueSecret: true`).",
        default: "none",
        secret: true,
    },
    { key: "secrets.<api>.tokenParameters.{headers,queryStrings,bodies}.<name>", meaning: "Secret token-request parameters.", default: "none", secret: true },
];

/** Every row of the reference. */
export function configReference(): ReferenceRow[] {
    return [
        { key: "aws:region", meaning: "The region the stack deploys to (one the AWS provider knows).", default: "required", secret: false },
        ...apiRows(),
        ...SETTING_KEYS.map((key) => ({ key, ...SETTINGS[key] })),
        ...SECRET_ROWS,
    ];
}

/** The reference as a Markdown table. */
export function configReferenceTable(): string {
    const rows = configReference().map((r) => `| \`${r.key}\` | ${r.meaning} | ${r.default} | ${r.secret ? "**yes**" : "no"} |`);
    return ["| Key | Meaning | Default | Secret? |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
