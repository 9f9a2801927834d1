/**
 * The component that deploys each workflow of `deploy/workflows/catalogue.ts`, and the stack outputs it
 * adds. `deploy/index.ts` builds the enabled ones from this table without naming any of them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../stack-config/types";
import { WorkflowName } from "../workflows/catalogue";
import { commentsDefinition, sampleCommentsInput } from "../workflows/comments/definition";
import { consoleUrlFor, startExecutionCommandFor, startOrderExecutionCommandFor } from "../workflows/order/commands";
import { ApiConnection } from "./api-connection";
import { CollectWorkflow } from "../workflows/collect/component";
import type { MapRunChildren } from "./monitoring";
import { HttpWorkflow, WorkflowOptions } from "./http-workflow";
import { OrderIntake } from "../workflows/order/intake";
import { OrderWorkflow } from "../workflows/order/component";
import { orderModule } from "../workflows/order";

/** What a workflow's component is given: its APIs (base URL and connection), the stack's settings, the shared options. */
export interface WorkflowContext {
    readonly apis: Readonly<Record<string, { readonly baseUrl: string; readonly connection: ApiConnection }>>;
    readonly settings: StackSettings;
    readonly options: WorkflowOptions;
}

/** The context's APIs named by a workflow's module, each required (validation configures every API an enabled workflow calls). */
function apisNamed<K extends string>(apis: WorkflowContext["apis"], names: readonly K[]): Record<K, WorkflowContext["apis"][string]> {
    const missing = names.filter((api) => !Object.hasOwn(apis, api));
    if (missing.length > 0) throw new Error(`No connection for ${missing.map((api) => `\`${api}\``).join(", ")} (validation makes sure of it).`);
    return Object.fromEntries(names.map((api) => [api, apis[api]])) as Record<K, WorkflowContext["apis"][string]>;
}

/** A deployed workflow: what every workflow exports, and the outputs only it has. */
export interface DeployedWorkflow {
    readonly stateMachineArn: pulumi.Output<string>;
    readonly stateMachineName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string | undefined>;
    /** A dead-letter queue whose messages page (with `monitoring`). */
    readonly deadLetterQueueName?: pulumi.Output<string>;
    /** The Distributed Maps whose child executions monitoring watches (label and child type). */
    readonly mapRunChildren?: readonly MapRunChildren[];
    /** Extra stack outputs, by output name. */
    readonly outputs: Readonly<Record<string, pulumi.Output<unknown>>>;
}

/** The component of each workflow. */
export const WORKFLOW_COMPONENTS: Readonly<Record<WorkflowName, (ctx: WorkflowContext) => DeployedWorkflow>> = {
    order: ({ apis, settings, options }) => {
        const order = new OrderWorkflow("order", {
            apis: apisNamed(apis, orderModule.apis),
            paymentProvider: settings.paymentProvider,
            notifications: settings.notifications,
            workflow: options,
        });
        const intake = settings.intake.enabled
            ? new OrderIntake("order-intake", {
                  stateMachineArn: order.stateMachineArn,
                  auth: settings.intake.auth,
                  throttle: settings.intake.throttle,
                  accessLogRetentionDays: settings.intake.accessLogRetentionDays,
                  tags: options.tags,
              })
            : undefined;
        return {
            stateMachineArn: order.stateMachineArn,
            stateMachineName: order.stateMachineName,
            roleArn: order.roleArn,
            logGroupName: order.logGroupName,
            outputs: {
                /** The order notifications topic. */
                notificationTopicArn: order.topicArn,
                /** The order state machine in the AWS console. */
                orderConsoleUrl: order.stateMachineArn.apply(consoleUrlFor),
                /** Starts the order workflow with the order in `order.json`, named by its order id. */
                startOrderExecutionCommand: order.stateMachineArn.apply((arn) => startOrderExecutionCommandFor(arn)),
                /** With `intake`: where orders are posted, and the API key's id with `auth: apiKey`. */
                ...(intake ? { orderIntakeUrl: intake.ordersUrl, orderIntakeApiKeyId: intake.apiKeyId } : {}),
            },
        };
    },
    comments: ({ apis, options }) => {
        const api = apis.comments;
        const comments = new HttpWorkflow("comments", {
            ...options,
            definition: api.connection.arn.apply((arn) => commentsDefinition({ baseUrl: api.baseUrl, connectionArn: arn })),
            connections: [api.connection],
        });
        return {
            stateMachineArn: comments.stateMachineArn,
            stateMachineName: comments.stateMachineName,
            roleArn: comments.roleArn,
            logGroupName: comments.logGroupName,
            outputs: {
                /** Starts the comments workflow with its sample input. */
                startCommentsExecutionCommand: comments.stateMachineArn.apply((arn) => startExecutionCommandFor(arn, sampleCommentsInput)),
            },
        };
    },
    collect: ({ apis, settings, options }) => {
        if (!settings.collect) throw new Error("The `collect` workflow needs `collect` settings (validation makes sure of it).");
        const collect = new CollectWorkflow("collect", { apis, collect: settings.collect, workflow: options });
        return {
            stateMachineArn: collect.stateMachineArn,
            stateMachineName: collect.stateMachineName,
            roleArn: collect.roleArn,
            logGroupName: collect.logGroupName,
            deadLetterQueueName: collect.deadLetterQueueName,
            mapRunChildren: collect.mapRunChildren,
            outputs: {
                /** Where the collected pages are stored. */
                collectBucketName: collect.bucketName,
                /** The EventBridge Scheduler schedule that starts the collection. */
                collectScheduleName: collect.scheduleName,
                /** Where Scheduler puts the starts it could not make. */
                collectDeadLetterQueueUrl: collect.deadLetterQueueUrl,
                /** Starts a collection now, outside the schedule. */
                startCollectExecutionCommand: collect.stateMachineArn.apply((arn) => startExecutionCommandFor(arn, {})),
            },
        };
    },
};
