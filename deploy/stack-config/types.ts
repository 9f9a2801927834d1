/**
 * The typed, validated shape of a stack's configuration (`Pulumi.<stack>.yaml`).
 * Plain settings are plain values; every secret is a `Secret<T>` supplied by the loader.
 */

import type { WorkflowName } from "../workflows/catalogue";
import type { PaymentProviderName } from "../workflows/order/payment/provider";

/** The project name, which is also the config namespace. */
export const PROJECT = "sfn-http-workflows";

/** Authorization types, as written in config (EventBridge's names in parentheses). */
export const AUTH_TYPES = ["basic", "apiKey", "oauth", "none"] as const;
/**
 * `basic` (BASIC), `apiKey` (API_KEY), `oauth` (OAUTH_CLIENT_CREDENTIALS), or `none` for a public
 * API: EventBridge has no connection without auth, so `none` is an API_KEY connection with a fixed,
 * non-secret header (`NO_AUTH_HEADER`), and needs no secret.
 */
export type AuthType = (typeof AUTH_TYPES)[number];

/** The header and value a `none` connection sends (nothing secret: a public API ignores it). */
export const NO_AUTH_HEADER = { name: "X-Sfn-Http-Workflows", value: "no-credential" } as const;

/** Extra parameters sent with every call (or token request): header, query-string and body keys. */
export interface ParameterSet {
    readonly headers: Readonly<Record<string, string>>;
    readonly queryStrings: Readonly<Record<string, string>>;
    readonly bodies: Readonly<Record<string, string>>;
}

/** The three sections of a `ParameterSet`. */
export const PARAMETER_SECTIONS = ["headers", "queryStrings", "bodies"] as const;

/** Plain authorization settings; the credential itself lives under `secrets.<api>`. */
export type AuthSettings =
    | { readonly type: "none" }
    | { readonly type: "basic"; readonly username: string }
    | { readonly type: "apiKey"; readonly headerName: string }
    | {
          readonly type: "oauth";
          readonly tokenUrl: string;
          readonly httpMethod: "GET" | "POST" | "PUT";
          readonly clientId: string;
          readonly tokenParameters: ParameterSet;
      };

/**
 * How EventBridge reaches a private API (docs/aws-facts.md §7.5, §13): through an existing VPC
 * Lattice resource configuration, or through one the program creates with a resource gateway in
 * the given VPC subnets.
 */
export type PrivateConnectivity =
    | { readonly resourceConfigurationArn: string }
    | { readonly vpcId: string; readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };

/** Plain settings of one API. */
export interface ApiSettings {
    readonly baseUrl: string;
    readonly auth: AuthSettings;
    readonly invocationParameters: ParameterSet;
    readonly kmsKeyId?: string;
    /** Reach the API privately; absent: over the internet. */
    readonly private?: PrivateConnectivity;
}

/** Workflow settings shared by the state machines of a stack. */
export interface WorkflowSettings {
    readonly type: "STANDARD" | "EXPRESS";
    readonly logLevel: "ALL" | "ERROR" | "FATAL" | "OFF";
    readonly logIncludeExecutionData: boolean;
    readonly logRetentionDays: number;
    readonly tracing: boolean;
    readonly publishVersions: boolean;
    /**
     * Let TestState assume the execution roles (`npm run test-state -- --aws`). Off: the trust policy
     * names each state machine's ARN, which TestState may not present (docs/aws-facts.md §13).
     */
    readonly testStateAccess: boolean;
}

/** Dashboards and alarms per workflow (`monitoring`). */
export interface MonitoringSettings {
    readonly enabled: boolean;
    /** Who the alarms email (the operations topic's subscribers). */
    readonly alarmEmails: readonly string[];
    /** The alarms' evaluation period, in seconds. */
    readonly periodSeconds: number;
    /** Alarm when a period has at least this many: timed-out, aborted, throttled executions, technical failures. */
    readonly thresholds: { readonly timedOut: number; readonly aborted: number; readonly throttled: number; readonly technicalFailures: number };
}

/** The order intake API (`intake`). */
export interface IntakeSettings {
    readonly enabled: boolean;
    /** `iam`: SigV4-signed callers; `apiKey`: a key of the intake's usage plan. */
    readonly auth: "iam" | "apiKey";
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    readonly accessLogRetentionDays: number;
}

/** How a source's pages link to each other. */
export type PaginationSettings =
    /** The body names the next page's cursor (`cursorField`), sent back as the query parameter `cursorParam`; absent or empty ends. */
    | { readonly style: "cursor"; readonly cursorField: string; readonly cursorParam: string }
    /** Pages are numbered from `firstPage` in the query parameter `pageParam`; a page without items ends. */
    | { readonly style: "page"; readonly pageParam: string; readonly firstPage: number }
    /** An RFC 8288 `Link: <…>; rel="next"` response header names the next page; none ends. */
    | { readonly style: "link" };

/** A source that fans out over a list of items kept in the collection bucket (a Distributed Map). */
export interface FanOutSettings {
    /** Key of a JSON array of item ids in the collection bucket, e.g. `inputs/devices.json`. */
    readonly itemList: string;
    /** Item ids per child execution. */
    readonly batchSize: number;
    /** Ids read from the list at most (`ItemReader.ReaderConfig.MaxItems`). */
    readonly maxItems: number;
    /** Share of ids (0–100) that may fail before the whole source is reported failed. */
    readonly toleratedFailurePercentage: number;
}

/** One data source: an API, a path and query, a pagination style and the fields kept. */
export interface SourceSettings {
    /** The source's name: the first part of every S3 key it writes. */
    readonly name: string;
    /** The API it calls (a top-level API key of the stack). */
    readonly api: string;
    /** Path under the API's base URL; a fan-out source has one `{item}` placeholder. */
    readonly path: string;
    /** Static query parameters of every request. */
    readonly query: Readonly<Record<string, string>>;
    readonly pagination: PaginationSettings;
    /** Dotted path of the items array in a page's body, e.g. `data`. */
    readonly itemsField: string;
    /** The fields of each item that are stored; the rest is dropped. */
    readonly fields: readonly string[];
    /** Pages fetched at most per run (per item for a fan-out source). */
    readonly maxPages: number;
    readonly fanOut?: FanOutSettings;
}

/** What the scheduled collection calls each API with. */
export interface ApiLimits {
    /** Sources (or fan-out child executions) of this API running at once. */
    readonly maxConcurrency: number;
    /** First wait after a 429, at least the API's usual `Retry-After`; an Express child's wait before each budgeted retry. */
    readonly retryAfterSeconds: number;
    /** Each HTTP attempt's limit in an Express child (`TimeoutSeconds` of the page fetch, 1–60: HTTP Tasks stop at 60 s). */
    readonly attemptTimeoutSeconds: number;
    /** Retries one Express child may spend in all, shared by its pages (per id of a fan-out batch). */
    readonly retryBudget: number;
}

/** `collect`: the scheduled data collection. */
export interface CollectSettings {
    readonly schedule: {
        /** `rate(…)`, `cron(…)` (6 fields) or `at(…)`, as EventBridge Scheduler takes it. */
        readonly expression: string;
        /** IANA time zone of the expression. */
        readonly timezone: string;
        readonly enabled: boolean;
        /** Scheduler's retries when StartExecution fails (0–185); then the dead-letter queue. */
        readonly retryAttempts: number;
        /** How long Scheduler keeps trying (60–86400 s). */
        readonly maxEventAgeSeconds: number;
    };
    /** Days a stored page is kept before S3 expires it. */
    readonly retentionDays: number;
    /** The EventBridge bus the run summary goes to. */
    readonly eventBusName: string;
    /** Limits per API the sources call. */
    readonly apiLimits: Readonly<Record<string, ApiLimits>>;
    readonly sources: readonly SourceSettings[];
}

/** Who is told about orders. */
export interface NotificationSettings {
    readonly emails: readonly string[];
    readonly smsNumbers: readonly string[];
}

/** Every plain setting of a stack, validated. */
export interface StackSettings {
    /** The region the stack deploys to (`aws:region`). */
    readonly region: string;
    /** The workflows the stack deploys (`workflows`). */
    readonly workflows: readonly WorkflowName[];
    /** The settings of every API the enabled workflows call, by API name. */
    readonly apis: Readonly<Record<string, ApiSettings>>;
    /** `payment.provider`: the gateway the `payment` API speaks. */
    readonly paymentProvider: PaymentProviderName;
    readonly workflow: WorkflowSettings;
    readonly notifications: NotificationSettings;
    readonly monitoring: MonitoringSettings;
    readonly intake: IntakeSettings;
    /** The scheduled collection; present when `collect` is enabled. */
    readonly collect?: CollectSettings;
    readonly tags: Readonly<Record<string, string>>;
    /**
     * `example: true`: the stack file is an example kept in the repository (placeholder VPC ids
     * allowed); synth, tests and `pulumi preview` run it, `pulumi up` refuses it. Absent: deployed.
     */
    readonly example?: boolean;
}

/** Secret values of one API, as they sit under `secrets.<api>`. */
export interface ApiSecrets {
    readonly password?: string;
    readonly apiKey?: string;
    readonly clientSecret?: string;
    readonly invocationParameters?: Partial<ParameterSet>;
    readonly tokenParameters?: Partial<ParameterSet>;
}

/** Defaults of the workflow settings; `Pulumi.yaml` declares the same (a test keeps them equal). */
export const WORKFLOW_DEFAULTS: WorkflowSettings = {
    type: "STANDARD",
    logLevel: "ERROR",
    logIncludeExecutionData: false,
    logRetentionDays: 30,
    tracing: false,
    publishVersions: false,
    testStateAccess: false,
};

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
