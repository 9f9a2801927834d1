/**
 * The guardrails of the `sfn-http-workflows` policy pack, as plain `@pulumi/policy` policy objects.
 * This module only declares them (types-only import), so tests can run every policy without
 * starting the pack's gRPC server; `policy/index.ts` serves them with `new PolicyPack(...)`.
 *
 * The IAM guardrails check every identity-policy document the stack declares (role inline policies,
 * `RolePolicy`, managed `Policy`) rather than following each state machine's `roleArn` to its role:
 * ARNs are unknown during a first preview, so linking would silently skip exactly the new roles, and
 * any role a state machine could be given must be safe anyway.
 *
 * Per-stack settings come from pack config (`--policy-pack-config policy/config/<stack>.json`):
 * the pack cannot learn the stack's name from `@pulumi/policy`, and a file per stack keeps the
 * setting reviewable next to the code. Without a config file the strictest settings apply.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, ReportViolation } from "@pulumi/policy";
import {
    connectionParameterViolations,
    credentialReadViolations,
    dataAccessViolations,
    httpInvokeViolations,
    loggingViolations,
    Props,
    retentionViolations,
    tracingViolations,
    TYPES,
} from "./checks";

/** The pack's name, as `pulumi preview` lists it. */
export const PACK_NAME = "sfn-http-workflows-guardrails";

/** Settings a stack may change in its policy config, with the defaults that apply when it does not. */
export interface StackPolicySettings {
    /** A state machine may run with logging `OFF` (dev). @default false */
    readonly allowLoggingOff: boolean;
    /** Every state machine must have X-Ray tracing on (prod). @default true */
    readonly requireTracing: boolean;
}

/** Strict by default: a stack without a config file is treated like prod. */
export const DEFAULT_SETTINGS: StackPolicySettings = { allowLoggingOff: false, requireTracing: true };

type Check = (args: ResourceValidationArgs) => string[];

/** A mandatory policy that runs `check` on resources of `types` and reports each sentence it returns. */
function policy(
    name: string,
    description: string,
    types: readonly string[],
    check: Check,
    configSchema?: ResourceValidationPolicy["configSchema"],
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        ...(configSchema ? { configSchema } : {}),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            if (!types.includes(args.type)) return;
            for (const message of check(args)) reportViolation(message);
        },
    };
}

/** The pack config of one policy, with the defaults filled in (the CLI may or may not apply schema defaults). */
function settings(args: ResourceValidationArgs): StackPolicySettings {
    return { ...DEFAULT_SETTINGS, ...args.getConfig<Partial<StackPolicySettings>>() };
}

const IAM_DOCUMENTS = [TYPES.role, TYPES.rolePolicy, TYPES.managedPolicy];
const props = (args: ResourceValidationArgs) => args.props as Props;

/** Every policy of the pack, in the order `pulumi preview` reports them. */
export const policies: ResourceValidationPolicy[] = [
    policy(
        "http-invoke-scoped",
        "A role may call `states:InvokeHTTPEndpoint` only with `states:HTTPEndpoint` and `states:HTTPMethod` conditions, on https endpoints with a literal host.",
        IAM_DOCUMENTS,
        (args) => httpInvokeViolations(args.type, props(args)),
    ),
    policy(
        "credential-reads-scoped",
        "A role may read Secrets Manager secrets or retrieve connection credentials only on exact ARNs, never a wildcard.",
        IAM_DOCUMENTS,
        (args) => credentialReadViolations(args.type, props(args)),
    ),
    policy(
        "data-access-scoped",
        "A role may read and write S3 objects only under a named bucket and key prefix, and start or manage executions only of named state machines.",
        IAM_DOCUMENTS,
        (args) => dataAccessViolations(args.type, props(args)),
    ),
    policy(
        "state-machine-logging",
        "State machines log to CloudWatch Logs, unless the stack's policy config sets `allowLoggingOff`.",
        [TYPES.stateMachine],
        (args) => loggingViolations(args.name, props(args), settings(args).allowLoggingOff),
        { properties: { allowLoggingOff: { type: "boolean", default: DEFAULT_SETTINGS.allowLoggingOff, description: "Allow logging `OFF` (dev stacks)." } } },
    ),
    policy(
        "state-machine-tracing",
        "State machines have X-Ray tracing on where the stack's policy config sets `requireTracing` (the default).",
        [TYPES.stateMachine],
        (args) => tracingViolations(args.name, props(args), settings(args).requireTracing),
        { properties: { requireTracing: { type: "boolean", default: DEFAULT_SETTINGS.requireTracing, description: "Require X-Ray tracing (prod stacks)." } } },
    ),
    policy(
        "connection-credentials-secret",
        "An EventBridge connection marks every credential-like parameter (authorization, API key, token, secret, password) as secret.",
        [TYPES.connection],
        (args) => connectionParameterViolations(args.name, props(args)),
    ),
    policy("log-group-retention", "Every log group has a retention period.", [TYPES.logGroup], (args) => retentionViolations(args.name, props(args))),
];
