/**
 * Derives the execution role's least-privilege policy from a finished definition.
 *
 * Every permission comes from a task that needs it, and each is as narrow as the definition
 * allows (docs/aws-facts.md §6.1):
 * - `states:InvokeHTTPEndpoint` on this state machine only, conditioned on the exact method(s)
 *   and endpoint of each HTTP Task (`StringEquals` for a static URL, `StringLike` on a base that
 *   ends in `/` for a dynamic path). A task inside a Distributed Map runs in a child execution, whose
 *   state machine is `<machine>/<Label>`; AWS does not document which of the two ARNs it checks, so
 *   that task's statement names both (and nothing wider), correct under either reading;
 * - `events:RetrieveConnectionCredentials` on the connections used, and Secrets Manager reads on
 *   exactly those connections' secrets;
 * - `sns:Publish` on the topics used; log delivery and X-Ray only when switched on;
 * - S3, EventBridge and Distributed Map permissions on exactly what the definition names (`data-policy.ts`).
 * Anything it cannot scope (a dynamic topic, method or host, an unknown integration) throws.
 */
import { createHash } from "crypto";
import { DATA_RESOURCES, dataStatements, enclosingMapLabels } from "./data-policy";
import { EndpointMatch, endpointMatch, jsonataExpression, requestFieldsOf } from "./endpoint";
import { HTTP_INVOKE } from "./http-task";
import { SNS_PUBLISH } from "./sns-task";
import { StateMachineDefinition } from "./types";
import { allStates } from "./walk";

/** One IAM statement; `Resource` is always a list of named resources. */
export interface IamStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An IAM policy document. */
export interface IamPolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly IamStatement[];
}

/** What the definition alone does not say. */
export interface PolicyContext {
    /** ARN of the state machine that will run the definition (deterministic name, so known up front). */
    readonly stateMachineArn: string;
    /** Connection ARN → ARN of the Secrets Manager secret EventBridge keeps for it. */
    readonly connectionSecrets: Readonly<Record<string, string>>;
    /** Connection ARN → ARN of the customer-managed KMS key that encrypts its secret (absent: an AWS owned key). */
    readonly connectionKeys?: Readonly<Record<string, string | undefined>>;
    /** CloudWatch Logs delivery is on (log level other than `OFF`). */
    readonly logging: boolean;
    /** X-Ray tracing is on. */
    readonly tracing: boolean;
    /** Versions or aliases are published, so executions may run as `<arn>:<version|alias>`. @default false */
    readonly publishesVersions?: boolean;
}

/**
 * CloudWatch Logs delivery actions Step Functions needs for logging. They do not support
 * resource-level permissions, so AWS documents them on `*` only.
 */
export const LOG_DELIVERY_ACTIONS: readonly string[] = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];
/** X-Ray actions for tracing; like log delivery, they accept only `*` as resource. */
export const XRAY_ACTIONS: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"];

/** The connection ARN an HTTP Task names (`Authentication` or the newer `InvocationConfig`). */
export function connectionArnOf(parameters: Record<string, unknown>, stateName: string): string {
    const holders = ["Authentication", "InvocationConfig"].filter((k) => parameters[k] !== undefined);
    // Both, or neither, is undefined behaviour in AWS (docs/aws-facts.md §1.2): refuse it.
    if (holders.length !== 1) throw new Error(`State \`${stateName}\` must name its connection in exactly one of \`Authentication\` or \`InvocationConfig\`.`);
    const arn = (parameters[holders[0]] as { ConnectionArn?: unknown }).ConnectionArn;
    if (typeof arn !== "string" || arn === "" || jsonataExpression(arn) !== undefined)
        throw new Error(`State \`${stateName}\` needs a literal \`${holders[0]}.ConnectionArn\`.`);
    return arn;
}

/** Escapes IAM policy-variable and wildcard characters so a URL matches only itself. */
function literalForIam(text: string, wildcards: boolean): string {
    return text.replace(wildcards ? /[$*?]/g : /\$/g, (c) => `\${${c}}`);
}

function endpointKey(match: EndpointMatch): string {
    return match.kind === "exact" ? `=${match.url}` : `~${match.parts.join("{}")}`;
}

const camel = (text: string) =>
    text
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w !== "")
        .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
        .join("");

/**
 * A statement id from what the statement grants (methods and endpoint, `{}` read as `Any`), so that
 * adding or removing one HTTP call leaves every other statement's id, and the review diff, alone:
 * `POST https://api.stripe.com/v1/refunds` → `InvokePostApiStripeComV1Refunds`. Over 100 characters,
 * or when two endpoints read the same, a hash of the endpoint keeps it short and unique.
 */
export function httpStatementSid(match: EndpointMatch, methods: readonly string[], taken: ReadonlySet<string> = new Set()): string {
    const url = match.kind === "exact" ? match.url : match.parts.join("{}");
    const words = `Invoke${methods.map(camel).join("")}${camel(url.replace(/^https?:\/\//, "").replace(/\{\}/g, " Any "))}`;
    const hash = createHash("sha256")
        .update(`${methods.join(",")} ${endpointKey(match)}`)
        .digest("hex")
        .slice(0, 8);
    if (words.length > 100) return `${words.slice(0, 91)}${hash}`;
    return taken.has(words) ? `${words}${hash}` : words;
}

function httpStatement(match: EndpointMatch, methods: string[], resources: string[], sid: string): IamStatement {
    const method = methods.length === 1 ? methods[0] : methods;
    const condition: IamStatement["Condition"] =
        match.kind === "exact"
            ? { StringEquals: { "states:HTTPMethod": method, "states:HTTPEndpoint": literalForIam(match.url, false) } }
            : {
                  StringEquals: { "states:HTTPMethod": method },
                  StringLike: { "states:HTTPEndpoint": match.parts.map((p) => literalForIam(p, true)).join("*") },
              };
    return { Sid: sid, Effect: "Allow", Action: ["states:InvokeHTTPEndpoint"], Resource: resources, Condition: condition };
}

function httpMethodOf(parameters: Record<string, unknown>, stateName: string): string {
    const method = parameters["Method"];
    if (typeof method !== "string" || jsonataExpression(method) !== undefined)
        throw new Error(`State \`${stateName}\` needs a literal \`Method\`: a dynamic method cannot be scoped in IAM.`);
    return method;
}

function assertHttps(match: EndpointMatch, stateName: string): void {
    const url = match.kind === "exact" ? match.url : match.parts[0];
    if (!url.startsWith("https://")) throw new Error(`State \`${stateName}\` calls \`${url}\`: only https endpoints can be granted.`);
}

/**
 * `kms:Decrypt` for connections whose secret a customer-managed key encrypts: reading such a secret
 * needs it (docs/aws-facts.md §13, conservative: no AWS page says so for Step Functions). One
 * statement per key, on exactly that key, only through Secrets Manager in the state machine's region,
 * and only for those connections' secrets (the encryption context Secrets Manager binds to each).
 */
function decryptStatements(connectionArns: readonly string[], context: PolicyContext): IamStatement[] {
    const region = context.stateMachineArn.split(":")[3];
    const byKey = new Map<string, string[]>();
    for (const arn of connectionArns) {
        const key = context.connectionKeys?.[arn];
        if (key) byKey.set(key, [...(byKey.get(key) ?? []), context.connectionSecrets[arn]]);
    }
    return [...byKey.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, secrets]) => ({
            Sid: `DecryptConnectionSecrets${createHash("sha256").update(key).digest("hex").slice(0, 8)}`,
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [key],
            Condition: {
                StringEquals: {
                    "kms:ViaService": `secretsmanager.${region}.amazonaws.com`,
                    "kms:EncryptionContext:SecretARN": [...new Set(secrets)].sort(),
                },
            },
        }));
}

/** Derives the execution role's permission policy from `definition`. */
export function derivePolicy(definition: StateMachineDefinition, context: PolicyContext): IamPolicyDocument {
    const endpoints = new Map<string, { match: EndpointMatch; methods: Set<string>; labels: Set<string> }>();
    const labelsOf = enclosingMapLabels(definition);
    const connections = new Set<string>();
    const topics = new Set<string>();

    for (const { name, state } of allStates(definition)) {
        if (state.Type !== "Task") continue;
        // JSONPath Tasks give their request in `Parameters`, JSONata Tasks in `Arguments` (docs/aws-facts.md §1).
        const parameters = requestFieldsOf(state) ?? {};
        if (state.Resource === HTTP_INVOKE) {
            const match = endpointMatch(parameters, name);
            assertHttps(match, name);
            const entry = endpoints.get(endpointKey(match)) ?? { match, methods: new Set<string>(), labels: new Set<string>() };
            entry.methods.add(httpMethodOf(parameters, name));
            for (const label of labelsOf.get(state) ?? []) entry.labels.add(label);
            endpoints.set(endpointKey(match), entry);
            connections.add(connectionArnOf(parameters, name));
        } else if (state.Resource === SNS_PUBLISH) {
            const topic = parameters["TopicArn"];
            if (typeof topic !== "string" || jsonataExpression(topic) !== undefined)
                throw new Error(`State \`${name}\` needs a literal \`TopicArn\`: a dynamic topic cannot be scoped in IAM.`);
            topics.add(topic);
        } else if (!DATA_RESOURCES.includes(state.Resource)) {
            throw new Error(`State \`${name}\` uses \`${state.Resource}\`, which derivePolicy cannot grant; add it to deploy/asl/policy.ts.`);
        }
    }

    const machineArns = context.publishesVersions ? [context.stateMachineArn, `${context.stateMachineArn}:*`] : [context.stateMachineArn];
    const sids = new Set<string>();
    const statements: IamStatement[] = [...endpoints.values()]
        .sort((a, b) => endpointKey(a.match).localeCompare(endpointKey(b.match)))
        .map((e) => {
            const methods = [...e.methods].sort();
            const sid = httpStatementSid(e.match, methods, sids);
            sids.add(sid);
            const children = [...e.labels].sort().map((label) => `${context.stateMachineArn}/${label}`);
            return httpStatement(e.match, methods, [...machineArns, ...children], sid);
        });

    if (connections.size > 0) {
        const arns = [...connections].sort();
        const secrets = arns.map((arn) => {
            const secret = context.connectionSecrets[arn];
            if (!secret)
                throw new Error(`Connection \`${arn}\` is used by the definition but its secret ARN is unknown: pass that connection to the workflow.`);
            return secret;
        });
        // These name the connection and its secret, not the execution: a Map Run's children use the
        // parent's role, so the same statements serve them whichever state machine ARN AWS checks.
        statements.push({ Sid: "RetrieveConnectionCredentials", Effect: "Allow", Action: ["events:RetrieveConnectionCredentials"], Resource: arns });
        statements.push({
            Sid: "ReadConnectionSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: [...new Set(secrets)].sort(),
        });
        statements.push(...decryptStatements(arns, context));
    }
    if (topics.size > 0) {
        statements.push({ Sid: "PublishNotifications", Effect: "Allow", Action: ["sns:Publish"], Resource: [...topics].sort() });
    }
    statements.push(...dataStatements(definition, context.stateMachineArn, machineArns));
    if (context.logging) statements.push({ Sid: "DeliverLogs", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: ["*"] });
    if (context.tracing) statements.push({ Sid: "WriteTraces", Effect: "Allow", Action: XRAY_ACTIONS, Resource: ["*"] });
    return { Version: "2012-10-17", Statement: statements };
}
