/**
 * Validates a whole stack configuration before any resource is declared. Pure: it takes the raw
 * values of the project's config keys (strings as Pulumi stores them, or typed values as a YAML
 * parser returns them) and the set of secret paths present, and returns typed settings or throws
 * one `ConfigError` listing every problem.
 */
import { apiSecretProblems, apiSettings, credentialKey, isObject, Problems, setCommand, unknownKeys } from "./api-rules";
import { paymentProvider } from "./payment-rules";
import { COMMENTS_DEFAULT_BASE_URL, LOG_RETENTION_DAYS, PROJECT, StackSettings, WORKFLOW_DEFAULTS, WorkflowSettings } from "./types";

/** Thrown when stack config is invalid; `problems` holds one sentence per problem. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid \`${PROJECT}\` stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/** Top-level config keys of the project (without the `sfn-http-workflows:` namespace). */
export const CONFIG_KEYS = [
    "payment",
    "inventory",
    "shipping",
    "comments",
    "workflowType",
    "logLevel",
    "logIncludeExecutionData",
    "logRetentionDays",
    "tracing",
    "publishVersions",
    "notificationEmails",
    "notificationSmsNumbers",
    "tags",
    "secrets",
] as const;

/** Raw values of the project's config keys. */
export type RawConfig = Partial<Record<(typeof CONFIG_KEYS)[number], unknown>>;

function parseJsonString(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

function oneOf<T extends string>(raw: unknown, key: string, allowed: readonly T[], fallback: T, problems: Problems): T {
    if (raw === undefined) return fallback;
    if (allowed.includes(raw as T)) return raw as T;
    problems.push(`\`${key}\` must be one of ${allowed.map((a) => `\`${a}\``).join(", ")} (got \`${String(raw)}\`).`);
    return fallback;
}

function bool(raw: unknown, key: string, fallback: boolean, problems: Problems): boolean {
    if (raw === undefined) return fallback;
    if (raw === true || raw === "true") return true;
    if (raw === false || raw === "false") return false;
    problems.push(`\`${key}\` must be \`true\` or \`false\` (got \`${String(raw)}\`).`);
    return fallback;
}

function stringList(raw: unknown, key: string, pattern: RegExp, what: string, problems: Problems): string[] {
    const value = parseJsonString(raw);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        problems.push(`\`${key}\` must be a list of strings: run \`${setCommand(`${key}[0]`)}\`.`);
        return [];
    }
    for (const v of value) if (!pattern.test(v)) problems.push(`\`${key}\`: \`${v}\` is not ${what}.`);
    return value as string[];
}

function workflowSettings(raw: RawConfig, problems: Problems): WorkflowSettings {
    const retention = raw.logRetentionDays === undefined ? WORKFLOW_DEFAULTS.logRetentionDays : Number(raw.logRetentionDays);
    if (!LOG_RETENTION_DAYS.includes(retention)) {
        problems.push(
            `\`logRetentionDays\` must be one of the periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")}); got \`${String(raw.logRetentionDays)}\`.`,
        );
    }
    return {
        type: oneOf(raw.workflowType, "workflowType", ["STANDARD", "EXPRESS"], WORKFLOW_DEFAULTS.type, problems),
        logLevel: oneOf(raw.logLevel, "logLevel", ["ALL", "ERROR", "FATAL", "OFF"], WORKFLOW_DEFAULTS.logLevel, problems),
        logIncludeExecutionData: bool(raw.logIncludeExecutionData, "logIncludeExecutionData", WORKFLOW_DEFAULTS.logIncludeExecutionData, problems),
        logRetentionDays: retention,
        tracing: bool(raw.tracing, "tracing", WORKFLOW_DEFAULTS.tracing, problems),
        publishVersions: bool(raw.publishVersions, "publishVersions", WORKFLOW_DEFAULTS.publishVersions, problems),
    };
}

function tags(raw: unknown, problems: Problems): Record<string, string> {
    const value = parseJsonString(raw);
    if (value === undefined) return {};
    if (!isObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
        problems.push(`\`tags\` must map tag names to string values: run \`${setCommand("tags.team", "<value>")}\`.`);
        return {};
    }
    for (const key of Object.keys(value)) {
        if (key.toLowerCase().startsWith("aws:")) problems.push(`\`tags.${key}\`: the \`aws:\` prefix is reserved by AWS.`);
    }
    return value as Record<string, string>;
}

function commentsSettings(raw: unknown, problems: Problems): StackSettings["comments"] {
    const value = parseJsonString(raw);
    if (value === undefined) return undefined;
    if (!isObject(value)) {
        problems.push("`comments` must be an object such as `{ enabled: true, auth: { type: basic, username: demo } }`.");
        return undefined;
    }
    if (!bool(value.enabled, "comments.enabled", false, problems)) {
        unknownKeys(value, ["enabled", "baseUrl", "auth", "invocationParameters", "kmsKeyId"], "comments", problems);
        return undefined;
    }
    return apiSettings({ baseUrl: COMMENTS_DEFAULT_BASE_URL, ...value, enabled: undefined }, "comments", problems, ["enabled"]);
}

/** Each configured API's settings (`comments` only when enabled); problems go to `problems`. */
function apiSettingsOf(raw: RawConfig, problems: Problems) {
    const paymentRaw = parseJsonString(raw.payment);
    const payment = apiSettings(isObject(paymentRaw) ? { ...paymentRaw, provider: undefined } : paymentRaw, "payment", problems, ["provider"]);
    const provider = paymentProvider(paymentRaw, payment, problems);
    const inventory = apiSettings(parseJsonString(raw.inventory), "inventory", problems);
    const shipping = apiSettings(parseJsonString(raw.shipping), "shipping", problems);
    const comments = commentsSettings(raw.comments, problems);
    return { apis: { payment, inventory, shipping, ...(comments ? { comments } : {}) }, provider };
}

/**
 * The credential each configured API's auth type needs, as paths under `secrets` (`payment.apiKey`).
 * Lenient: an API whose settings are invalid is left out (validation reports it).
 */
export function credentialPaths(raw: RawConfig): string[] {
    return Object.entries(apiSettingsOf(raw, []).apis).flatMap(([api, settings]) => (settings ? [`${api}.${credentialKey(settings.auth)}`] : []));
}

/**
 * Validates the raw config. `secretPaths` lists the leaf paths set under the `secrets` key (for
 * example `payment.apiKey`): which secrets exist, never their values.
 */
export function validateStackConfig(raw: RawConfig, secretPaths: ReadonlySet<string>): StackSettings {
    const problems: Problems = [];
    const { apis, provider } = apiSettingsOf(raw, problems);
    const { payment, inventory, shipping, comments } = apis;
    for (const [name, settings] of Object.entries(apis)) {
        if (settings) apiSecretProblems(name, settings, secretPaths, problems);
    }
    for (const p of secretPaths) {
        const owner = p.split(".")[0];
        if (!(owner in apis))
            problems.push(`\`secrets.${owner}\` belongs to no configured API: remove it with \`pulumi config rm --path 'secrets.${owner}'\`.`);
    }
    const settings = {
        workflow: workflowSettings(raw, problems),
        notifications: {
            emails: stringList(raw.notificationEmails, "notificationEmails", /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an email address", problems),
            smsNumbers: stringList(
                raw.notificationSmsNumbers,
                "notificationSmsNumbers",
                /^\+[1-9]\d{6,14}$/,
                "an E.164 phone number such as `+14155550100`",
                problems,
            ),
        },
        tags: tags(raw.tags, problems),
    };
    if (problems.length > 0 || !payment || !inventory || !shipping) throw new ConfigError(problems);
    return { apis: { payment, inventory, shipping }, paymentProvider: provider, ...(comments ? { comments } : {}), ...settings };
}

/** The keys of a secrets object with every value replaced by `true`: which secrets exist, never what they are. */
export function secretShapeOf(secrets: unknown): unknown {
    if (isObject(secrets)) return Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, secretShapeOf(v)]));
    return secrets !== undefined && secrets !== null && secrets !== "";
}

/** Dotted leaf paths of a secrets object or shape (`{ payment: { apiKey: … } }` → `payment.apiKey`). */
export function secretPathsOf(secrets: unknown, prefix = ""): Set<string> {
    const paths = new Set<string>();
    if (!isObject(secrets)) return paths;
    for (const [key, value] of Object.entries(secrets)) {
        const at = prefix === "" ? key : `${prefix}.${key}`;
        if (isObject(value)) for (const p of secretPathsOf(value, at)) paths.add(p);
        else if (value !== undefined && value !== null && value !== "" && value !== false) paths.add(at);
    }
    return paths;
}
