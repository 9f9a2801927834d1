import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { jsonataProblems } from "../asl/jsonata-check";
import { derivePolicy, IamPolicyDocument } from "../asl/policy";
import { assertConnectionsUsed } from "./api-connection";
import { StateMachineDefinition } from "../asl/types";
import { LOG_RETENTION_DAYS } from "../stack-config/types";

/** What the role needs to know about a connection the definition uses. */
export interface ConnectionReference {
    readonly arn: pulumi.Input<string>;
    readonly secretArn: pulumi.Input<string>;
    /** ARN of the customer-managed KMS key of the connection's secret, if any: the role may decrypt with it. */
    readonly kmsKeyArn?: pulumi.Input<string | undefined>;
}

/** Settings shared by every workflow of a stack. */
export interface WorkflowOptions {
    /** Cannot change after creation. @default "STANDARD" */
    readonly type?: "STANDARD" | "EXPRESS";
    /** `OFF` creates no log group and grants no log delivery. @default "ERROR" */
    readonly logLevel?: "ALL" | "ERROR" | "FATAL" | "OFF";
    /** Log execution input and output (HTTP responses included; connection credentials never are). @default false */
    readonly includeExecutionData?: boolean;
    /** A period CloudWatch Logs accepts. @default 30 */
    readonly logRetentionDays?: number;
    /** AWS X-Ray tracing. @default false */
    readonly tracing?: boolean;
    /** Publish a version on every update. @default false */
    readonly publishVersions?: boolean;
    /**
     * Also trust Step Functions when no state machine's `aws:SourceArn` is presented, as TestState may
     * assume the role without one (docs/aws-facts.md §13, UNKNOWN). Still only this account. @default false
     */
    readonly testStateAccess?: boolean;
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Arguments of `HttpWorkflow`. */
export interface HttpWorkflowArgs extends WorkflowOptions {
    /** The finished definition; the role's policy is derived from it. */
    readonly definition: pulumi.Input<StateMachineDefinition>;
    /** The connections the definition's HTTP Tasks name, with their secret ARNs; one no task names throws `UnusedConnectionError`. */
    readonly connections: readonly ConnectionReference[];
    /**
     * The state machine's name. It is fixed up front so the role can name the state machine's ARN
     * before the state machine exists (this breaks the role ↔ state machine cycle).
     * @default "<project>-<stack>-<name>"
     */
    readonly stateMachineName?: string;
    /**
     * Map Run labels of the definition's Distributed Maps: their child executions run as
     * `<stateMachine>/<label>`, which the trust policy then also accepts (the source ARN Step
     * Functions presents for them is not documented; conservative). @default none
     */
    readonly childExecutionLabels?: pulumi.Input<readonly string[]>;
}

/** `<project>-<stack>-<name>`, the default physical name of a state machine. */
export function defaultStateMachineName(name: string): string {
    return `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
}

/** Names Step Functions accepts and CloudWatch logging supports (docs/aws-facts.md §8.2, §9.1). */
function assertStateMachineName(stateMachineName: string): void {
    if (!/^[0-9A-Za-z_-]{1,80}$/.test(stateMachineName)) {
        throw new Error(`State machine name \`${stateMachineName}\` must be 1 to 80 characters of \`0-9A-Za-z-_\`; pass a shorter \`stateMachineName\`.`);
    }
}

/**
 * A Step Functions state machine with its own execution role, whose permission policy is derived
 * from the definition (see `deploy/asl/policy.ts`), and a log group with retention.
 */
export class HttpWorkflow extends pulumi.ComponentResource {
    readonly stateMachineArn: pulumi.Output<string>;
    readonly stateMachineName: pulumi.Output<string>;
    /** ARN of the version published by the last update, when `publishVersions` is on. */
    readonly stateMachineVersionArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    /** The log group's name; undefined when `logLevel` is `OFF`. */
    readonly logGroupName: pulumi.Output<string | undefined>;
    /** The derived permission policy. */
    readonly policy: pulumi.Output<IamPolicyDocument>;

    constructor(name: string, args: HttpWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
        // 1. Validate arguments before declaring anything.
        const stateMachineName = args.stateMachineName ?? defaultStateMachineName(name);
        assertStateMachineName(stateMachineName);
        const logLevel = args.logLevel ?? "ERROR";
        const logging = logLevel !== "OFF";
        const retention = args.logRetentionDays ?? 30;
        if (!LOG_RETENTION_DAYS.includes(retention)) throw new Error(`\`logRetentionDays\` ${retention} is not a period CloudWatch Logs accepts.`);
        const tracing = args.tracing ?? false;
        const publish = args.publishVersions ?? false;
        // Known values (tests, a definition built up front) are checked here; Outputs when they resolve (below).
        const arns = args.connections.map((c) => c.arn);
        if (!pulumi.Output.isInstance(args.definition) && arns.every((a): a is string => typeof a === "string"))
            assertConnectionsUsed(name, args.definition as StateMachineDefinition, arns);

        super("sfn-http-workflows:index:HttpWorkflow", name, {}, opts);

        // 2. The state machine's ARN, known before it exists.
        const parent = { parent: this };
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const region = aws.getRegionOutput({}, parent).region;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const stateMachineArn = pulumi.interpolate`arn:${partition}:states:${region}:${account}:stateMachine:${stateMachineName}`;

        // 3. Role: only Step Functions, only for this state machine (confused-deputy conditions).
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Execution role of state machine ${stateMachineName}`,
                assumeRolePolicy: pulumi
                    .all([account, stateMachineArn, pulumi.output(args.childExecutionLabels ?? [])])
                    .apply(([accountId, arn, labels]) => trustPolicy(accountId, arn, args.testStateAccess ?? false, labels)),
                tags: args.tags,
            },
            parent,
        );

        this.policy = pulumi
            .all([
                pulumi.output(args.definition),
                stateMachineArn,
                pulumi.all(args.connections.map((c) => pulumi.all([c.arn, c.secretArn, pulumi.output(c.kmsKeyArn)]))),
            ])
            .apply(([definition, arn, connections]) => {
                // A connection no task uses would only widen the role: it is a wiring error.
                assertConnectionsUsed(
                    name,
                    definition as StateMachineDefinition,
                    connections.map(([c]) => c),
                );
                return derivePolicy(definition as StateMachineDefinition, {
                    stateMachineArn: arn,
                    connectionSecrets: Object.fromEntries(connections.map(([c, secret]) => [c, secret])),
                    connectionKeys: Object.fromEntries(connections.map(([c, , key]) => [c, key])),
                    logging,
                    tracing,
                    publishesVersions: publish,
                });
            });
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: this.policy.apply((document) => JSON.stringify(document)),
            },
            parent,
        );

        // 4. Logs, then the state machine (AWS checks the role's log permissions on create).
        const logGroup = logging
            ? new aws.cloudwatch.LogGroup(
                  `${name}-logs`,
                  { name: `/aws/vendedlogs/states/${stateMachineName}`, retentionInDays: retention, tags: args.tags },
                  parent,
              )
            : undefined;
        const stateMachine = new aws.sfn.StateMachine(
            `${name}-state-machine`,
            {
                name: stateMachineName,
                type: args.type ?? "STANDARD",
                roleArn: role.arn,
                definition: pulumi.output(args.definition).apply((d) => {
                    // A JSONata Choice or expression AWS would run differently from how it reads fails the deployment.
                    const problems = jsonataProblems(d);
                    if (problems.length > 0) throw new Error(`State machine \`${stateMachineName}\`: ${problems.join(" ")}`);
                    return JSON.stringify(d);
                }),
                loggingConfiguration: logGroup
                    ? { level: logLevel, includeExecutionData: args.includeExecutionData ?? false, logDestination: pulumi.interpolate`${logGroup.arn}:*` }
                    : { level: "OFF" },
                tracingConfiguration: { enabled: tracing },
                publish,
                tags: args.tags,
            },
            { parent: this, dependsOn: [rolePolicy] },
        );

        // 5. Outputs.
        this.stateMachineArn = stateMachine.arn;
        this.stateMachineName = stateMachine.name;
        this.stateMachineVersionArn = stateMachine.stateMachineVersionArn;
        this.roleArn = role.arn;
        this.logGroupName = logGroup ? logGroup.name : pulumi.output(undefined);
        this.registerOutputs({
            stateMachineArn: this.stateMachineArn,
            roleArn: this.roleArn,
            logGroupName: this.logGroupName,
        });
    }
}

/**
 * Who may assume an execution role: Step Functions, for this account and this state machine (and
 * its versions and aliases). With `testStateAccess`, a second statement drops the `aws:SourceArn`
 * condition and checks `aws:SourceAccount` only if present, because an absent key fails a plain
 * condition and TestState's caller context is not documented (docs/aws-facts.md §6.2, §13). Only
 * a principal with `iam:PassRole` on the role, in this account, can hand it to Step Functions.
 */
export function trustPolicy(accountId: string, stateMachineArn: string, testStateAccess: boolean, childLabels: readonly string[] = []): aws.iam.PolicyDocument {
    const principal = { Service: "states.amazonaws.com" };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "StepFunctionsForThisStateMachine",
                Effect: "Allow",
                Principal: principal,
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: {
                        "aws:SourceArn": [
                            stateMachineArn,
                            `${stateMachineArn}:*`,
                            ...childLabels.flatMap((l) => [`${stateMachineArn}/${l}`, `${stateMachineArn}/${l}:*`]),
                        ],
                    },
                },
            },
            ...(testStateAccess
                ? [
                      {
                          Sid: "TestStateInThisAccount",
                          Effect: "Allow" as const,
                          Principal: principal,
                          Action: "sts:AssumeRole",
                          // IfExists: TestState may present no source context at all; when it does, it must be ours.
                          Condition: { StringEqualsIfExists: { "aws:SourceAccount": accountId } },
                      },
                  ]
                : []),
        ],
    };
}
