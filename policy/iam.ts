/**
 * Pure checks of IAM identity-policy documents, as a policy pack receives them: a JSON string (or an
 * object) with `Action`/`NotAction`, `Resource`/`NotResource` and `Condition` in any of IAM's
 * spellings (string or list). Each check returns one sentence per problem.
 */

/** One statement as written by anyone (not only by `derivePolicy`). */
export interface AnyStatement {
    readonly Sid?: string;
    readonly Effect?: string;
    readonly Action?: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly NotResource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** The action an HTTP Task needs; its condition keys scope the endpoint and method. */
export const HTTP_INVOKE_ACTION = "states:InvokeHTTPEndpoint";
/** Secrets Manager actions that read a secret (value or metadata). */
export const SECRET_READ_ACTIONS: readonly string[] = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];
/** The action that hands a connection's credentials to Step Functions. */
export const CONNECTION_CREDENTIALS_ACTION = "events:RetrieveConnectionCredentials";
/** Operators that make a condition key required and matching (not `...IfExists`, not negated). */
const SCOPING_OPERATORS = ["stringequals", "stringequalsignorecase", "stringlike"];

const list = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === "string" ? [value] : value);

/** IAM wildcard match (`*`, `?`), case-insensitive as IAM matches action names. */
export function iamLike(pattern: string, value: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, "is").test(value);
}

/** The statements of a document given as JSON text or as an object; a single statement object counts as a list of one. */
export function statementsOf(document: unknown): AnyStatement[] {
    const parsed: unknown = typeof document === "string" ? JSON.parse(document) : document;
    const statement = (parsed as { Statement?: unknown } | undefined)?.Statement;
    if (statement === undefined) return [];
    return (Array.isArray(statement) ? statement : [statement]) as AnyStatement[];
}

/** True when `statement` allows `action` (through `Action` patterns, or through `NotAction` that does not exclude it). */
export function allows(statement: AnyStatement, action: string): boolean {
    if (statement.Effect !== "Allow") return false;
    if (statement.Action !== undefined) return list(statement.Action).some((p) => iamLike(p, action));
    if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => iamLike(p, action));
    return false;
}

/** How a message names a statement: its `Sid`, else its position. */
export function statementName(statement: AnyStatement, index: number): string {
    return statement.Sid ? `Statement \`${statement.Sid}\`` : `Statement ${index + 1}`;
}

/** Values of condition key `key` under a scoping operator (keys are case-insensitive in IAM). */
function scopedValues(statement: AnyStatement, key: string): string[] | undefined {
    let found: string[] | undefined;
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
        if (!SCOPING_OPERATORS.includes(operator.toLowerCase())) continue;
        for (const [k, v] of Object.entries(keys)) if (k.toLowerCase() === key.toLowerCase()) found = [...(found ?? []), ...list(v)];
    }
    return found;
}

/** Why `endpoint` is not a safe `states:HTTPEndpoint` value, or undefined when it is. */
function endpointProblem(endpoint: string): "non-https" | "wildcard-host" | undefined {
    if (!endpoint.startsWith("https://")) return "non-https";
    // The host must be literal and closed by `/`, so `https://api.example.com*` cannot match `https://api.example.com.evil.tld`.
    const rest = endpoint.slice("https://".length);
    const slash = rest.indexOf("/");
    const host = slash === -1 ? rest : rest.slice(0, slash);
    if (host === "" || /[*?]/.test(host)) return "wildcard-host";
    return undefined;
}

/**
 * Problems with statements that allow `states:InvokeHTTPEndpoint`: both `states:HTTPEndpoint` and
 * `states:HTTPMethod` must be scoped with `StringEquals`/`StringLike`, and every endpoint must be an
 * `https://` URL with a literal host.
 */
export function httpInvokeProblems(statements: readonly AnyStatement[]): string[] {
    const problems: string[] = [];
    statements.forEach((statement, i) => {
        if (!allows(statement, HTTP_INVOKE_ACTION)) return;
        const name = statementName(statement, i);
        const endpoints = scopedValues(statement, "states:HTTPEndpoint");
        const methods = scopedValues(statement, "states:HTTPMethod");
        const missing = [endpoints ? undefined : "`states:HTTPEndpoint`", methods ? undefined : "`states:HTTPMethod`"].filter((m) => m !== undefined);
        if (missing.length > 0) {
            problems.push(
                `${name} allows \`${HTTP_INVOKE_ACTION}\` without a ${missing.join(" or ")} condition: ` +
                    "scope both keys with `StringEquals` or `StringLike`, as `derivePolicy` (deploy/asl/policy.ts) does.",
            );
        }
        for (const endpoint of endpoints ?? []) {
            const problem = endpointProblem(endpoint);
            if (problem === "non-https") {
                problems.push(
                    `${name} allows \`${HTTP_INVOKE_ACTION}\` on the non-https endpoint \`${endpoint}\`: HTTP Tasks may only call \`https://\` URLs.`,
                );
            } else if (problem === "wildcard-host") {
                problems.push(
                    `${name} allows \`${HTTP_INVOKE_ACTION}\` on \`${endpoint}\`, whose host is not literal: ` +
                        "name the host and close it with `/` before any `*` (e.g. `https://api.example.com/v1/*`).",
                );
            }
        }
    });
    return problems;
}

/** The resources a statement applies to that are wildcards (`NotResource` counts as one). */
function wildcardResources(statement: AnyStatement): string[] {
    if (statement.NotResource !== undefined) return ["everything outside `NotResource`"];
    return list(statement.Resource)
        .filter((r) => /[*?]/.test(r))
        .map((r) => `\`${r}\``);
}

/**
 * Problems with statements that let the role read Secrets Manager secrets or retrieve connection
 * credentials on a wildcard resource: each secret and connection must be named by its exact ARN.
 */
export function credentialReadProblems(statements: readonly AnyStatement[]): string[] {
    const problems: string[] = [];
    statements.forEach((statement, i) => {
        const wildcards = wildcardResources(statement);
        if (wildcards.length === 0) return;
        const name = statementName(statement, i);
        const on = wildcards.join(", ");
        const secretActions = SECRET_READ_ACTIONS.filter((a) => allows(statement, a));
        if (secretActions.length > 0) {
            problems.push(
                `${name} lets the role read Secrets Manager secrets (${secretActions.map((a) => `\`${a}\``).join(", ")}) on ${on}: ` +
                    "list each secret's exact ARN instead (for a connection, its `secretArn` output).",
            );
        }
        if (allows(statement, CONNECTION_CREDENTIALS_ACTION)) {
            problems.push(
                `${name} lets the role retrieve connection credentials (\`${CONNECTION_CREDENTIALS_ACTION}\`) on ${on}: ` +
                    "list each connection's exact ARN instead (its `arn` output).",
            );
        }
    });
    return problems;
}

/** S3 object actions a workflow role may be given, each only on named key prefixes. */
export const OBJECT_ACTIONS: readonly string[] = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
/** Execution actions a workflow role may be given, each only on named state machines and their Map Runs. */
export const EXECUTION_ACTIONS: readonly string[] = ["states:StartExecution", "states:DescribeExecution", "states:StopExecution", "states:RedriveExecution"];

/** Why an S3 resource is too wide for an object action, or undefined: a bucket or key that is a wildcard, or a whole bucket's keys. */
function objectResourceProblem(resource: string): string | undefined {
    const match = /^arn:[^:]+:s3:::([^/]*)(?:\/(.*))?$/.exec(resource);
    if (!match) return /[*?]/.test(resource) ? "a wildcard" : undefined;
    const [, bucket, key] = match;
    if (/[*?]/.test(bucket)) return "a wildcard bucket";
    if (key === undefined) return undefined;
    // The first key segment must be literal: `<bucket>/*` or `<bucket>/*/x` reaches every object.
    const first = key.split("/")[0];
    if (first === "" || /[*?]/.test(first)) return "every object of the bucket";
    return undefined;
}

/** Why a Step Functions resource is too wide for an execution action, or undefined. */
function executionResourceProblem(resource: string): string | undefined {
    const match = /^arn:[^:]+:states:[^:]+:[^:]+:(stateMachine|execution|mapRun):([^:/]*)/.exec(resource);
    if (!match) return /[*?]/.test(resource) ? "a wildcard" : undefined;
    return /[*?]/.test(match[2]) || match[2] === "" ? "a wildcard state machine" : undefined;
}

/**
 * Problems with statements that give S3 object access or start and manage executions on wildcard
 * resources: objects only under a literal first key segment (a source's prefix, an item list), and
 * executions only of named state machines (a Distributed Map's children are named by it and its label).
 */
export function dataAccessProblems(statements: readonly AnyStatement[]): string[] {
    const problems: string[] = [];
    statements.forEach((statement, i) => {
        const name = statementName(statement, i);
        const resources = statement.NotResource !== undefined ? ["*"] : list(statement.Resource);
        const check = (actions: readonly string[], problem: (r: string) => string | undefined, fix: string) => {
            const granted = actions.filter((a) => allows(statement, a));
            if (granted.length === 0) return;
            for (const resource of resources) {
                const why = statement.NotResource !== undefined ? "everything outside `NotResource`" : problem(resource);
                if (why) problems.push(`${name} allows ${granted.map((a) => `\`${a}\``).join(", ")} on \`${resource}\` (${why}): ${fix}`);
            }
        };
        check(OBJECT_ACTIONS, objectResourceProblem, "name the bucket and the key prefix, as `derivePolicy` (deploy/asl/data-policy.ts) does.");
        check(
            EXECUTION_ACTIONS,
            executionResourceProblem,
            "name the state machine (and its Map Run label), as `derivePolicy` (deploy/asl/data-policy.ts) does.",
        );
    });
    return problems;
}
