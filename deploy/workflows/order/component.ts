import * as aws from "@pulumi/aws";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { derivePolicy } from "../../asl/policy";
import { orderDefinition } from "./definition";
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
    /** The payment gateway's API (Stripe: `https://api.stripe.com/v1`). */
    readonly payment: OrderApi;
    /** The API the payment gateway speaks. @default "stripe" */
    readonly paymentProvider?: PaymentProviderName;
    readonly inventory: OrderApi;
    readonly shipping: OrderApi;
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

/** The saga for `args`' base URLs with the given payment, inventory and shipping connection ARNs. */
function definitionFor(args: OrderWorkflowArgs, [payment, inventory, shipping]: readonly [string, string, string], notificationTopicArn: string) {
    return orderDefinition({
        payment: { baseUrl: args.payment.baseUrl, connectionArn: payment },
        paymentProvider: args.paymentProvider,
        inventory: { baseUrl: args.inventory.baseUrl, connectionArn: inventory },
        shipping: { baseUrl: args.shipping.baseUrl, connectionArn: shipping },
        notificationTopicArn,
    });
}

/**
 * The e-commerce order saga (`deploy/workflows/order/definition.ts`) deployed: an `HttpWorkflow` whose role may call
 * exactly the payment, inventory and shipping endpoints, plus the SNS topic that notifies customers.
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
        const placeholders = [PLACEHOLDER("payment"), PLACEHOLDER("inventory"), PLACEHOLDER("shipping")] as const;
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
        const definition = pulumi
            .all([args.payment.connection.arn, args.inventory.connection.arn, args.shipping.connection.arn, topic.arn])
            .apply(([payment, inventory, shipping, topicArn]) => definitionFor(args, [payment, inventory, shipping], topicArn));
        this.workflow = new HttpWorkflow(
            `${name}-workflow`,
            {
                ...args.workflow,
                definition,
                connections: [args.payment.connection, args.inventory.connection, args.shipping.connection],
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
