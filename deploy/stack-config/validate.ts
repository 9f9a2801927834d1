/**
 * Validates a whole stack configuration before any resource is declared. Pure: it takes every key
 * of the project's namespace (strings as Pulumi stores them, or typed values as a YAML parser
 * returns them), `aws:region`, and the set of secret paths present, and returns typed settings or
 * throws one `ConfigError` listing every problem, each with the command that fixes it.
 *
 * Nothing here names a workflow or an API: they come from `deploy/workflows/catalogue.ts` and the API
 * registry (`deploy/apis/index.ts`: each API's auth types, extra keys and default base URL).
 */
import { Region } from "@pulumi/aws/types/enums";
import { apiSpecOf } from "../apis";
import { API_NAMES, apisOf, DEFAULT_WORKFLOWS, WORKFLOW_NAMES, WorkflowName } from "../workflows/catalogue";
import { apiRuleProblems, apiSecretProblems, apiSettings, configNumber, credentialKey, parseJsonString, Problems } from "./api-rules";
import { isObject } from "../asl/json";
import { didYouMean, rmCommand, run, setCommand, unknownKeyProblem } from "./fixes";
import { collectApiNames, collectSettings } from "./collect-rules";
import { intakeSettings } from "./intake-rules";
import { monitoringSettings } from "./monitoring-rules";
import { paymentProvider } from "./payment-rules";
import { placeholderIdProblems } from "./private-rules";
import { maskUserInfo, namespaceProblems, plaintextSecretProblems, StackContext, userInfoProblems } from "./stack-rules";
import { ApiSettings, LOG_RETENTION_DAYS, PROJECT, StackSettings, WORKFLOW_DEFAULTS, WorkflowSettings } from "./types";

/** Thrown when stack config is invalid; `problems` holds one sentence per problem. */
export class ConfigError extends Error {
    readonly problems: readonly string[];
    constructor(problems: readonly string[]) {
        // A last guard: no message carries a URL's user info (a rule may quote a value it did not expect to be a URL).
        problems = problems.map(maskUserInfo);
        super(`Invalid \`${PROJECT}\` stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
        this.problems = problems;
    }
}

/** The keys of the project that are not APIs. */
export const SETTING_KEYS = [
    "workflows",
    "workflowType",
    "logLevel",
    "logIncludeExecutionData",
    "logRetentionDays",
    "tracing",
    "publishVersions",
    "testStateAccess",
    "notificationEmails",
    "notificationSmsNumbers",
    "monitoring",
    "intake",
    "collect",
    "tags",
    "secrets",
    "example",
] as const;

/** Every top-level key of the project (without the `sfn-http-workflows:` namespace): the settings and one per API. */
export const CONFIG_KEYS: readonly string[] = [...API_NAMES, ...SETTING_KEYS];

/** The regions the AWS provider knows (`@pulumi/aws`'s `Region`). */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/** Raw values of the project's config keys, namespace stripped; unknown keys included (they are errors). */
export type RawConfig = Record<string, unknown>;

function oneOf<T extends string>(raw: unknown, key: string, allowed: readonly T[], fallback: T, problems: Problems): T {
    if (raw === undefined) return fallback;
    if (allowed.includes(raw as T)) return raw as T;
    problems.push(`\`${key}\` must be one of ${allowed.map((a) => `\`${a}\``).join(", ")} (got \`${String(raw)}\`)${run(setCommand(key, fallback))}`);
    return fallback;
}

function bool(raw: unknown, key: string, fallback: boolean, problems: Problems): boolean {
    if (raw === undefined) return fallback;
    if (raw === true || raw === "true") return true;
    if (raw === false || raw === "false") return false;
    problems.push(`\`${key}\` must be \`true\` or \`false\` (got \`${String(raw)}\`)${run(setCommand(key, String(fallback)))}`);
    return fallback;
}

function stringList(raw: unknown, key: string, pattern: RegExp, what: string, problems: Problems): string[] {
    const value = parseJsonString(raw);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        problems.push(`\`${key}\` must be a list of strings${run(rmCommand(key), setCommand(`${key}[0]`))}`);
        return [];
    }
    value.forEach((v, i) => {
        if (!pattern.test(v)) problems.push(`\`${key}[${i}]\`: \`${v}\` is not ${what}${run(setCommand(`${key}[${i}]`))}`);
    });
    return value as string[];
}

function workflowSettings(raw: RawConfig, problems: Problems): WorkflowSettings {
    const retention = raw.logRetentionDays === undefined ? WORKFLOW_DEFAULTS.logRetentionDays : configNumber(raw.logRetentionDays);
    if (!LOG_RETENTION_DAYS.includes(retention)) {
        problems.push(
            `\`logRetentionDays\` must be one of the periods CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")}); got \`${String(raw.logRetentionDays)}\`${run(setCommand("logRetentionDays", "30"))}`,
        );
    }
    return {
        type: oneOf(raw.workflowType, "workflowType", ["STANDARD", "EXPRESS"], WORKFLOW_DEFAULTS.type, problems),
        logLevel: oneOf(raw.logLevel, "logLevel", ["ALL", "ERROR", "FATAL", "OFF"], WORKFLOW_DEFAULTS.logLevel, problems),
        logIncludeExecutionData: bool(raw.logIncludeExecutionData, "logIncludeExecutionData", WORKFLOW_DEFAULTS.logIncludeExecutionData, problems),
        logRetentionDays: retention,
        tracing: bool(raw.tracing, "tracing", WORKFLOW_DEFAULTS.tracing, problems),
        publishVersions: bool(raw.publishVersions, "publishVersions", WORKFLOW_DEFAULTS.publishVersions, problems),
        testStateAccess: bool(raw.testStateAccess, "testStateAccess", WORKFLOW_DEFAULTS.testStateAccess, problems),
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
        if (key.toLowerCase().startsWith("aws:")) problems.push(`\`tags.${key}\`: the \`aws:\` prefix is reserved by AWS${run(rmCommand(`tags.${key}`))}`);
    }
    return value as Record<string, string>;
}

/**
 * The enabled workflows (`workflows`, default `[order]`), each a name of the catalogue, and the
 * intended ones: a misspelt name counts as its did-you-mean, so that nothing it would use is called
 * unused; `undefined` when a name has no guess (then nothing is called unused).
 */
function workflowsOf(raw: unknown, problems: Problems): { enabled: WorkflowName[]; intended?: WorkflowName[] } {
    const value = parseJsonString(raw);
    if (value === undefined) return { enabled: [...DEFAULT_WORKFLOWS], intended: [...DEFAULT_WORKFLOWS] };
    const names = WORKFLOW_NAMES.map((n) => `\`${n}\``).join(", ");
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string")) {
        problems.push(`\`workflows\` must be a non-empty list of workflow names (${names})${run(rmCommand("workflows"), setCommand("workflows[0]", "order"))}`);
        return { enabled: [...DEFAULT_WORKFLOWS] };
    }
    const known: WorkflowName[] = [];
    let intended: WorkflowName[] | undefined = [];
    value.forEach((name: string, i) => {
        if ((WORKFLOW_NAMES as string[]).includes(name)) {
            known.push(name as WorkflowName);
            intended?.push(name as WorkflowName);
            return;
        }
        const guess = didYouMean(name, WORKFLOW_NAMES) as WorkflowName | undefined;
        if (guess) intended?.push(guess);
        else intended = undefined;
        problems.push(
            `\`workflows[${i}]\`: \`${name}\` is not a workflow (${names})${guess ? `; did you mean \`${guess}\`? Run \`${setCommand(`workflows[${i}]`, guess)}\`.` : run(setCommand(`workflows[${i}]`, "<workflow>"))}`,
        );
    });
    return { enabled: [...new Set(known)], intended: intended && [...new Set<WorkflowName>(intended)] };
}

/** The APIs the collection's sources name (when `collect` is enabled), besides the catalogue's (which it may not use). */
function sourceApis(raw: RawConfig, workflows: readonly WorkflowName[]): string[] {
    return workflows.includes("collect")
        ? collectApiNames(raw.collect).filter((api) => !(SETTING_KEYS as readonly string[]).includes(api) && !(API_NAMES as readonly string[]).includes(api))
        : [];
}

/** The settings of every API: required for the enabled workflows, refused when nothing uses it. */
function apisOfConfig(raw: RawConfig, workflows: readonly WorkflowName[], problems: Problems, reportUnused = true): Record<string, ApiSettings | undefined> {
    const fromSources = sourceApis(raw, workflows);
    const used = [...apisOf(workflows), ...fromSources];
    const out: Record<string, ApiSettings | undefined> = {};
    // A source's API is judged like the catalogue's: set while `collect` is off, it is unused, not unknown.
    for (const api of [...new Set([...API_NAMES, ...sourceApis(raw, ["collect"])])]) {
        const value = parseJsonString(raw[api]);
        if (!used.includes(api)) {
            if (value !== undefined && reportUnused)
                problems.push(
                    `\`${api}\` is set but no enabled workflow calls it (workflows: ${workflows.map((w) => `\`${w}\``).join(", ")}): run \`${rmCommand(api)}\`, or enable a workflow that calls it with \`${setCommand(`workflows[${workflows.length}]`, "<workflow>")}\`.`,
                );
            continue;
        }
        const spec = apiSpecOf(api);
        const defaults = spec?.defaultBaseUrl ? { baseUrl: spec.defaultBaseUrl } : {};
        // An API's extra keys (`payment.provider`) are read by their own rules; every other key is the connection's.
        const extra = spec?.extraKeys ?? [];
        const input = isObject(value) ? Object.fromEntries(Object.entries({ ...defaults, ...value }).filter(([k]) => !extra.includes(k))) : value;
        out[api] = apiSettings(input, api, problems, extra);
    }
    return out;
}

/** `aws:region`: required, and one the AWS provider knows. */
function regionOf(raw: unknown, problems: Problems): string {
    if (typeof raw !== "string" || raw === "") {
        problems.push(`\`aws:region\` is required (the stack's region)${run("pulumi config set aws:region us-east-1")}`);
        return "";
    }
    if (!AWS_REGIONS.includes(raw)) {
        const guess = didYouMean(raw, AWS_REGIONS);
        problems.push(
            `\`aws:region\`: \`${raw}\` is not a region the AWS provider knows${guess ? `; did you mean \`${guess}\`? Run \`pulumi config set aws:region ${guess}\`.` : run("pulumi config set aws:region us-east-1")}`,
        );
    }
    return raw;
}

/** Which top-level keys are misspelt or unknown (an API a collection source names is known). */
function unknownTopLevelKeys(raw: RawConfig, problems: Problems): void {
    // Every source's API is a known key (whether it is used is `apisOfConfig`'s question).
    const known = [...CONFIG_KEYS, ...sourceApis(raw, ["collect"])];
    for (const key of Object.keys(raw)) {
        if (!known.includes(key)) problems.push(unknownKeyProblem(key, key, known));
    }
}

/**
 * The credential each configured API's auth type needs, as paths under `secrets` (`payment.apiKey`).
 * Lenient: an API whose settings are invalid is left out (validation reports it).
 */
export function credentialPaths(raw: RawConfig): string[] {
    const { enabled, intended } = workflowsOf(raw.workflows, []);
    const apis = apisOfConfig(raw, intended ?? enabled, []);
    return Object.entries(apis).flatMap(([api, settings]) => {
        const key = settings ? credentialKey(settings.auth) : undefined;
        return key ? [`${api}.${key}`] : [];
    });
}

/**
 * Validates the raw config. `secretPaths` lists the leaf paths set under the `secrets` key (for
 * example `payment.apiKey`): which secrets exist, never their values.
 */
export function validateStackConfig(raw: RawConfig, secretPaths: ReadonlySet<string>, awsRegion?: unknown, context: StackContext = {}): StackSettings {
    const problems: Problems = [];
    // The workflows first: a misspelt name is the cause, and what it made look unused is judged by its guess.
    const { enabled, intended } = workflowsOf(raw.workflows, problems);
    const workflows = intended ?? enabled;
    const reportUnused = intended !== undefined;
    namespaceProblems(context, problems);
    plaintextSecretProblems(context, problems);
    userInfoProblems(raw, problems);
    unknownTopLevelKeys(raw, problems);
    const region = regionOf(awsRegion, problems);
    const apis = apisOfConfig(raw, workflows, problems, reportUnused);
    const provider = "payment" in apis ? paymentProvider(parseJsonString(raw.payment), problems) : "stripe";
    for (const [name, settings] of Object.entries(apis)) if (settings) apiRuleProblems(name, settings, problems);
    for (const [name, settings] of Object.entries(apis)) {
        if (settings) apiSecretProblems(name, settings, secretPaths, problems);
    }
    for (const owner of new Set([...secretPaths].map((p) => p.split(".")[0]))) {
        if (!(owner in apis) && reportUnused)
            problems.push(`\`secrets.${owner}\` belongs to no API an enabled workflow calls${run(rmCommand(`secrets.${owner}`))}`);
    }
    const workflow = workflowSettings(raw, problems);
    const example = bool(raw.example, "example", false, problems);
    if (!example) for (const [name, settings] of Object.entries(apis)) placeholderIdProblems(settings?.private, `${name}.private`, problems);
    // Distributed Maps (and hours-long runs) need Standard workflows.
    if (workflows.includes("collect") && workflow.type !== "STANDARD")
        problems.push(
            `\`workflowType\` must be \`STANDARD\` when \`collect\` is enabled (its Distributed Maps and long runs need it)${run(setCommand("workflowType", "STANDARD"))}`,
        );
    const collectOn = intended ? workflows.includes("collect") : raw.collect !== undefined;
    const settings = {
        workflow,
        monitoring: monitoringSettings(raw.monitoring, workflow, problems),
        intake: intakeSettings(raw.intake, intended ?? [...enabled, "order"], problems),
        collect: collectSettings(raw.collect, collectOn, [...SETTING_KEYS], problems, API_NAMES),
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
    const complete = Object.values(apis).every((a) => a !== undefined);
    if (problems.length > 0 || !complete) throw new ConfigError(problems);
    return { region, workflows: enabled, apis: apis as Record<string, ApiSettings>, paymentProvider: provider, ...settings, ...(example ? { example } : {}) };
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
