/**
 * Composition root: load the stack config, build the components, export the outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection } from "./components/api-connection";
import { HttpWorkflow } from "./components/http-workflow";
import { OrderWorkflow } from "./components/order-workflow";
import { loadConfig } from "./config";
import { connectionArgs } from "./stack-config/connection-args";
import { PROJECT } from "./stack-config/types";
import { commentsDefinition, sampleCommentsInput } from "./workflows/comments";
import { consoleUrlFor, startExecutionCommandFor, startOrderExecutionCommandFor } from "./workflows/commands";

const { settings, secrets } = loadConfig();
const tags = { ...settings.tags, project: PROJECT, stack: pulumi.getStack() };
const workflow = { ...settings.workflow, includeExecutionData: settings.workflow.logIncludeExecutionData, tags };

const payment = new ApiConnection("payment", connectionArgs(settings.apis.payment, secrets.payment));
const inventory = new ApiConnection("inventory", connectionArgs(settings.apis.inventory, secrets.inventory));
const shipping = new ApiConnection("shipping", connectionArgs(settings.apis.shipping, secrets.shipping));

const order = new OrderWorkflow("order", {
    payment: { baseUrl: settings.apis.payment.baseUrl, connection: payment },
    paymentProvider: settings.paymentProvider,
    inventory: { baseUrl: settings.apis.inventory.baseUrl, connection: inventory },
    shipping: { baseUrl: settings.apis.shipping.baseUrl, connection: shipping },
    notifications: settings.notifications,
    workflow,
});

const commentsSettings = settings.comments;
const commentsApi = commentsSettings && secrets.comments ? new ApiConnection("comments", connectionArgs(commentsSettings, secrets.comments)) : undefined;
const comments =
    commentsSettings && commentsApi
        ? new HttpWorkflow("comments", {
              ...workflow,
              definition: commentsApi.arn.apply((arn) => commentsDefinition({ baseUrl: commentsSettings.baseUrl, connectionArn: arn })),
              connections: [commentsApi],
          })
        : undefined;

const apis = { payment, inventory, shipping, ...(commentsApi ? { comments: commentsApi } : {}) };

/** State machine ARNs by workflow. */
export const stateMachineArns = { order: order.stateMachineArn, ...(comments ? { comments: comments.stateMachineArn } : {}) };
/** EventBridge connection ARNs by API. */
export const connectionArns = Object.fromEntries(Object.entries(apis).map(([k, c]) => [k, c.arn]));
/** ARNs of the Secrets Manager secrets EventBridge keeps for each connection. */
export const connectionSecretArns = Object.fromEntries(Object.entries(apis).map(([k, c]) => [k, c.secretArn]));
/** Execution role ARNs by workflow. */
export const roleArns = { order: order.roleArn, ...(comments ? { comments: comments.roleArn } : {}) };
/** Log group names by workflow (absent when logging is off). */
export const logGroupNames = { order: order.logGroupName, ...(comments ? { comments: comments.logGroupName } : {}) };
/** The order notifications topic. */
export const notificationTopicArn = order.topicArn;
/** The order state machine in the AWS console. */
export const orderConsoleUrl = order.stateMachineArn.apply(consoleUrlFor);
/** Starts the order workflow with the order in `order.json`, named by its order id. */
export const startOrderExecutionCommand = order.stateMachineArn.apply((arn) => startOrderExecutionCommandFor(arn));
/** Starts the comments workflow with a sample input (dev). */
export const startCommentsExecutionCommand = comments ? comments.stateMachineArn.apply((arn) => startExecutionCommandFor(arn, sampleCommentsInput)) : undefined;
