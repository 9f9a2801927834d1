/**
 * The typed, validated shape of a stack's configuration (`Pulumi.<stack>.yaml`).
 * Plain settings are plain values; every secret is a `Secret<T>` supplied by the loader.
 */

import type { WorkflowName } from "../workflows/catalogue";
import type { PaymentProviderName } from "../workflows/payment/provider";

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
 * How EventBridge reaches a private API (http-task-facts.md §7.5, §13): through an existing VPC
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
     * names each state machine's ARN, which TestState may not present (http-task-facts.md §13).
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
    readonly tags: Readonly<Record<string, string>>;
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
