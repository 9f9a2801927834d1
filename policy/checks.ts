/**
 * Pure checks of single resources' inputs (camelCase, secrets already unwrapped, as a policy pack
 * receives them). Each returns one sentence per problem: what is wrong, then how to fix it.
 * Only the properties a check needs are read, so an input still unknown during preview elsewhere in
 * the resource does not stop the check.
 */
import { CREDENTIAL_NAME } from "../deploy/stack-config/api-rules";
import { AnyStatement, credentialReadProblems, dataAccessProblems, httpInvokeProblems, statementsOf } from "./iam";

/** Type tokens of the resources the policies look at. */
export const TYPES = {
    stateMachine: "aws:sfn/stateMachine:StateMachine",
    connection: "aws:cloudwatch/eventConnection:EventConnection",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    managedPolicy: "aws:iam/policy:Policy",
} as const;

/** Resource inputs as a policy sees them. */
export type Props = Record<string, unknown>;

interface Document {
    /** Prefix for messages about an inline policy of a role; empty for a standalone document. */
    readonly label: string;
    readonly statements: readonly AnyStatement[];
}

/** The identity-policy documents a resource declares: a (role) policy's `policy`, a role's `inlinePolicies`. */
export function documentsOf(type: string, props: Props): Document[] {
    if (type === TYPES.rolePolicy || type === TYPES.managedPolicy) return [{ label: "", statements: statementsOf(props.policy) }];
    if (type !== TYPES.role) return [];
    const inline = (props.inlinePolicies ?? []) as { name?: string; policy?: unknown }[];
    return inline
        .filter((p) => p.policy !== undefined && p.policy !== "")
        .map((p) => ({ label: `Inline policy \`${p.name ?? "(unnamed)"}\`: `, statements: statementsOf(p.policy) }));
}

/** `states:InvokeHTTPEndpoint` problems of every document the resource declares. */
export function httpInvokeViolations(type: string, props: Props): string[] {
    return documentsOf(type, props).flatMap((d) => httpInvokeProblems(d.statements).map((p) => d.label + p));
}

/** Wildcard secret and connection-credential reads in every document the resource declares. */
export function credentialReadViolations(type: string, props: Props): string[] {
    return documentsOf(type, props).flatMap((d) => credentialReadProblems(d.statements).map((p) => d.label + p));
}

/** S3 object access and execution management on wildcard resources, in every document the resource declares. */
export function dataAccessViolations(type: string, props: Props): string[] {
    return documentsOf(type, props).flatMap((d) => dataAccessProblems(d.statements).map((p) => d.label + p));
}

/** A state machine with logging `OFF` (or no logging configuration, which AWS treats as `OFF`). */
export function loggingViolations(name: string, props: Props, allowLoggingOff: boolean): string[] {
    const level = (props.loggingConfiguration as { level?: string } | undefined)?.level;
    if (allowLoggingOff || (level !== undefined && level !== "OFF")) return [];
    return [
        `State machine \`${name}\` has logging off (\`loggingConfiguration.level\` is \`OFF\` or unset): ` +
            "set the stack's `logLevel` to `ERROR`, `FATAL` or `ALL`, or allow it for this stack with `allowLoggingOff: true` in its policy config.",
    ];
}

/** A state machine without X-Ray tracing, when the stack requires tracing. */
export function tracingViolations(name: string, props: Props, requireTracing: boolean): string[] {
    const enabled = (props.tracingConfiguration as { enabled?: boolean } | undefined)?.enabled;
    if (!requireTracing || enabled === true) return [];
    return [
        `State machine \`${name}\` has X-Ray tracing off, which this stack's policy config forbids (\`requireTracing\`): set the stack's \`tracing\` to \`true\`.`,
    ];
}

const SECTIONS = [
    ["headers", "header"],
    ["queryStrings", "query-string parameter"],
    ["bodies", "body parameter"],
] as const;

type ParameterList = { key?: string; isValueSecret?: boolean }[] | undefined;

function plainCredentials(name: string, set: Record<string, ParameterList> | undefined, where: string, configKey: string): string[] {
    const problems: string[] = [];
    for (const [section, noun] of SECTIONS) {
        for (const p of set?.[section] ?? []) {
            if (p.key === undefined || !CREDENTIAL_NAME.test(p.key) || p.isValueSecret === true) continue;
            problems.push(
                `Connection \`${name}\` sends the ${where} ${noun} \`${p.key}\` in plain text (\`isValueSecret\` is not \`true\`): mark it secret; ` +
                    `here, remove it from the plain config and run \`pulumi config set --secret --path 'secrets.<api>.${configKey}.${section}.${p.key}' <value>\`.`,
            );
        }
    }
    return problems;
}

/** Credential-like connection parameters (authorization, API key, token, secret, password) not marked secret. */
export function connectionParameterViolations(name: string, props: Props): string[] {
    const auth = props.authParameters as
        { invocationHttpParameters?: Record<string, ParameterList>; oauth?: { oauthHttpParameters?: Record<string, ParameterList> } } | undefined;
    return [
        ...plainCredentials(name, auth?.invocationHttpParameters, "invocation", "invocationParameters"),
        ...plainCredentials(name, auth?.oauth?.oauthHttpParameters, "OAuth token request", "tokenParameters"),
    ];
}

/** A log group that keeps its events forever (`retentionInDays` unset or `0`). */
export function retentionViolations(name: string, props: Props): string[] {
    const days = props.retentionInDays;
    if (typeof days === "number" && days > 0) return [];
    return [
        `Log group \`${name}\` has no retention (\`retentionInDays\` is unset, so events are kept forever): set \`retentionInDays\` to a period CloudWatch Logs accepts, e.g. \`30\` (the stack's \`logRetentionDays\`).`,
    ];
}
