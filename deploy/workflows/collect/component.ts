/**
 * The scheduled data collection: its bucket (encrypted, public access blocked, TLS only, pages
 * expiring per stack), the state machine from `deploy/workflows/collect/definition.ts` with its derived role, and an
 * EventBridge Scheduler schedule that starts it, retrying and then dead-lettering to SQS.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { distributedMaps, hasExpressChildren, mapRunLabels } from "../../asl/data-policy";
import { StateMachineDefinition } from "../../asl/types";
import { CollectSettings } from "../../stack-config/types";
import { collectDefinition } from "./definition";
import { ApiConnection } from "../../components/api-connection";
import { HttpWorkflow, WorkflowOptions } from "../../components/http-workflow";
import type { MapRunChildren } from "../../components/monitoring";

/** Arguments of `CollectWorkflow`. */
export interface CollectWorkflowArgs {
    /** The APIs the sources call, by name. */
    readonly apis: Readonly<Record<string, { readonly baseUrl: string; readonly connection: ApiConnection }>>;
    readonly collect: CollectSettings;
    readonly workflow: WorkflowOptions;
}

/** Each Distributed Map of `definition`: its label and its children's type (what monitoring watches). */
export function mapRunChildrenOf(definition: StateMachineDefinition): MapRunChildren[] {
    return distributedMaps(definition).flatMap(({ state }) =>
        state.Label
            ? [
                  {
                      label: state.Label,
                      executionType: hasExpressChildren(state) ? ("EXPRESS" as const) : ("STANDARD" as const),
                  },
              ]
            : [],
    );
}

/** Age after which an unfinished multipart upload is cleaned up. */
const ABORT_MULTIPART_DAYS = 1;
/** How long Scheduler's dead letters are kept (SQS's maximum). */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

/** The collection, its bucket and its schedule. */
export class CollectWorkflow extends pulumi.ComponentResource {
    readonly stateMachineArn: pulumi.Output<string>;
    readonly stateMachineName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string | undefined>;
    readonly bucketName: pulumi.Output<string>;
    readonly scheduleName: pulumi.Output<string>;
    readonly deadLetterQueueUrl: pulumi.Output<string>;
    readonly deadLetterQueueName: pulumi.Output<string>;
    /**
     * The Distributed Maps' labels and child types, known before deployment: they depend on the
     * sources and limits only, not on the bucket's or connections' names, so monitoring can declare
     * one alarm per Map Run label without creating resources inside an `apply`.
     */
    readonly mapRunChildren: readonly MapRunChildren[];

    constructor(name: string, args: CollectWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sfn-http-workflows:index:CollectWorkflow", name, {}, opts);
        const parent = { parent: this };
        const tags = args.workflow.tags;
        const { collect } = args;

        const bucket = new aws.s3.Bucket(`${name}-pages`, { forceDestroy: false, tags }, parent);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-pages-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
            parent,
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-pages-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        new aws.s3.BucketOwnershipControls(`${name}-pages-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
        new aws.s3.BucketPolicy(
            `${name}-pages-tls-only`,
            {
                bucket: bucket.id,
                policy: bucket.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "DenyWithoutTls",
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: [arn, `${arn}/*`],
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                ),
            },
            parent,
        );
        // Pages expire per stack; item lists (outside every source's prefix) are kept.
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-pages-lifecycle`,
            {
                bucket: bucket.id,
                rules: collect.sources.map((source) => ({
                    id: `expire-${source.name}`,
                    status: "Enabled",
                    filter: { prefix: `${source.name}/` },
                    expiration: { days: collect.retentionDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
                })),
            },
            parent,
        );

        const apiNames = [...new Set(collect.sources.map((s) => s.api))];
        const connections = apiNames.map((api) => args.apis[api].connection);
        const definition = pulumi.all([bucket.bucket, pulumi.all(apiNames.map((api) => args.apis[api].connection.arn))]).apply(([bucketName, arns]) =>
            collectDefinition({
                bucket: bucketName,
                eventBusName: collect.eventBusName,
                sources: collect.sources,
                apis: Object.fromEntries(
                    apiNames.map((api, i) => [api, { baseUrl: args.apis[api].baseUrl, connectionArn: arns[i], limits: collect.apiLimits[api] }]),
                ),
            }),
        );
        const workflow = new HttpWorkflow(
            name,
            {
                ...args.workflow,
                definition,
                connections,
                childExecutionLabels: definition.apply(mapRunLabels),
            },
            parent,
        );

        const deadLetters = new aws.sqs.Queue(
            `${name}-schedule-dead-letters`,
            { sqsManagedSseEnabled: true, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS, tags },
            parent,
        );
        const account = aws.getCallerIdentityOutput({}, parent).accountId;
        const schedulerRole = new aws.iam.Role(
            `${name}-scheduler-role`,
            {
                description: "EventBridge Scheduler: starts the collection, dead-letters what it cannot start",
                assumeRolePolicy: account.apply((accountId) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "scheduler.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                            },
                        ],
                    }),
                ),
                tags,
            },
            parent,
        );
        const schedulerPolicy = new aws.iam.RolePolicy(
            `${name}-scheduler-policy`,
            {
                role: schedulerRole.id,
                policy: pulumi.all([workflow.stateMachineArn, deadLetters.arn]).apply(([machine, queue]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "StartCollection", Effect: "Allow", Action: ["states:StartExecution"], Resource: [machine] },
                            { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue] },
                        ],
                    }),
                ),
            },
            parent,
        );
        const schedule = new aws.scheduler.Schedule(
            `${name}-schedule`,
            {
                description: `Starts the collection of ${collect.sources.map((s) => s.name).join(", ")}`,
                scheduleExpression: collect.schedule.expression,
                scheduleExpressionTimezone: collect.schedule.timezone,
                state: collect.schedule.enabled ? "ENABLED" : "DISABLED",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: workflow.stateMachineArn,
                    roleArn: schedulerRole.arn,
                    input: "{}",
                    retryPolicy: { maximumRetryAttempts: collect.schedule.retryAttempts, maximumEventAgeInSeconds: collect.schedule.maxEventAgeSeconds },
                    deadLetterConfig: { arn: deadLetters.arn },
                },
            },
            { parent: this, dependsOn: [schedulerPolicy] },
        );

        this.stateMachineArn = workflow.stateMachineArn;
        this.stateMachineName = workflow.stateMachineName;
        this.roleArn = workflow.roleArn;
        this.logGroupName = workflow.logGroupName;
        this.bucketName = bucket.bucket;
        this.scheduleName = schedule.name;
        this.deadLetterQueueUrl = deadLetters.url;
        this.deadLetterQueueName = deadLetters.name;
        this.mapRunChildren = mapRunChildrenOf(
            collectDefinition({
                bucket: "placeholder-bucket",
                eventBusName: collect.eventBusName,
                sources: collect.sources,
                apis: Object.fromEntries(
                    apiNames.map((api) => [
                        api,
                        { baseUrl: args.apis[api].baseUrl, connectionArn: `placeholder-connection-${api}`, limits: collect.apiLimits[api] },
                    ]),
                ),
            }),
        );
        this.registerOutputs({ stateMachineArn: this.stateMachineArn, bucketName: this.bucketName, scheduleName: this.scheduleName });
    }
}
