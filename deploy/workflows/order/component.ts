import * as aws from "@pulumi/aws";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { derivePolicy } from "../../asl/policy";
import type { ApiTarget } from "../../asl/http-task";
import { OrderApiName, orderDefinition } from "./definition";
import { orderModule } from "./index";
import { PaymentProviderName } from "./payment/provider";
import { ConnectionReference, defaultStateMachineName, HttpWorkflow, WorkflowOptions } from "../../components/http-workflow";

/** One API the saga calls: its base URL and the connection that authenticates the calls. */
export interface OrderApi {
    /** @example "https://api.payments.example.com/v1" */
    readonly baseUrl: string;
    /** An `ApiConnection`, or any `{ arn, secretArn }`. */
    readonly connection: ConnectionReference;
}

/** Arguments of `OrderWorkflow`. */
export interface OrderWorkflowArgs {
    /**
     * Each API of the order module's `apis` (`deploy/workflows/order/index.ts`), by name.
     * @example { payment: { baseUrl: "https://api.stripe.com/v1", connection }, inventory: { ... }, shipping: { ... } }
     */
    readonly apis: Readonly<Record<OrderApiName, OrderApi>>;
    /** The API the payment gateway speaks. @default "stripe" */
    readonly paymentProvider?: PaymentProviderName;
    /** Subscriptions to the notification topic. @default none */
    readonly notifications?: { readonly emails?: readonly string[]; readonly smsNumbers?: readonly string[] };
    /** Type, logging, tracing, versions and tags of the state machine. */
    readonly workflow?: WorkflowOptions;
    /** @default "<project>-<stack>-<name>" */
    readonly stateMachineName?: string;
}

const PLACEHOLDER = (what: string) => `arn:aws:events:us-east-1:000000000000:connection/${what}/placeholder`;

/** The logical name of a notification subscription: stable for its endpoint, whatever the list order. */
export function subscriptionName(component: string, protocol: string, endpoint: string): string {
    return `${component}-${protocol}-${createHash("sha256").update(endpoint.trim().toLowerCase()).digest("hex").slice(0, 10)}`;
}

/** The saga for `args`' base URLs with the connection ARNs given in the order of `orderModule.apis`. */
function definitionFor(args: OrderWorkflowArgs, connectionArns: readonly string[], notificationTopicArn: string) {
    const apis = Object.fromEntries(orderModule.apis.map((api, i) => [api, { baseUrl: args.apis[api].baseUrl, connectionArn: connectionArns[i] }]));
    return orderDefinition({ apis: apis as Record<OrderApiName, ApiTarget>, paymentProvider: args.paymentProvider, notificationTopicArn });
}

/**
 * The e-commerce order saga (`deploy/workflows/order/definition.ts`) deployed: an `HttpWorkflow` whose role may call
 * exactly the endpoints of the APIs it calls, plus the SNS topic that notifies customers.
 */
export class OrderWorkflow extends pulumi.ComponentResource {
    readonly stateMachineArn: pulumi.Output<string>;
    readonly stateMachineName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string | undefined>;
    readonly topicArn: pulumi.Output<string>;
    readonly workflow: HttpWorkflow;

    constructor(name: string, args: OrderWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
        // 1. Fail fast: build and derive once with placeholder ARNs, so a bad base URL or an
        //    unscopable task throws here, before any resource (this component included) is declared.
        const placeholders = orderModule.apis.map(PLACEHOLDER);
        derivePolicy(definitionFor(args, placeholders, "arn:aws:sns:us-east-1:000000000000:placeholder"), {
            stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:placeholder",
            connectionSecrets: Object.fromEntries(placeholders.map((arn) => [arn, `${arn}-secret`])),
            logging: false,
            tracing: false,
        });

        super("sfn-http-workflows:index:OrderWorkflow", name, {}, opts);

        // 2. Notifications.
        const topic = new aws.sns.Topic(`${name}-notifications`, { tags: args.workflow?.tags }, { parent: this });
        // Named by the endpoint, so removing one address leaves the others (and their confirmations)
        // alone; the alias adopts a subscription made when names were list positions.
        const subscribe = (protocol: "email" | "sms", endpoints: readonly string[] | undefined) =>
            (endpoints ?? []).map(
                (endpoint, i) =>
                    new aws.sns.TopicSubscription(
                        subscriptionName(name, protocol, endpoint),
                        { topic: topic.arn, protocol, endpoint },
                        { parent: this, aliases: [{ name: `${name}-${protocol}-${i}` }] },
                    ),
            );
        subscribe("email", args.notifications?.emails);
        subscribe("sms", args.notifications?.smsNumbers);

        // 3. The saga.
        const connections = orderModule.apis.map((api) => args.apis[api].connection);
        const definition = pulumi
            .all([topic.arn, ...connections.map((c) => c.arn)])
            .apply(([topicArn, ...connectionArns]) => definitionFor(args, connectionArns, topicArn));
        this.workflow = new HttpWorkflow(
            `${name}-workflow`,
            {
                ...args.workflow,
                definition,
                connections,
                stateMachineName: args.stateMachineName ?? defaultStateMachineName(name),
            },
            { parent: this },
        );

        // 4. Outputs.
        this.stateMachineArn = this.workflow.stateMachineArn;
        this.stateMachineName = this.workflow.stateMachineName;
        this.roleArn = this.workflow.roleArn;
        this.logGroupName = this.workflow.logGroupName;
        this.topicArn = topic.arn;
        this.registerOutputs({ stateMachineArn: this.stateMachineArn, roleArn: this.roleArn, topicArn: this.topicArn });
    }
}
