/**
 * Dashboards and alarms for the workflows, with `@pulumi/awsx`'s CloudWatch helpers
 * (`awsx.classic.cloudwatch`: metrics, alarms from metrics, dashboards from widgets).
 *
 * What pages and what does not: a technical failure (an execution timed out, aborted or throttled,
 * or failed with a `States.*` error or one of the workflow's incidents, such as `CompensationFailed`
 * or `CollectionIncomplete`, or a payment a person must settle, such as `PaymentNotCapturable`) raises an
 * alarm to the operations topic; a business outcome (`PaymentDeclined`, `PaymentAuthenticationRequired`,
 * `InvalidOrder`, an out-of-stock `OrderCancelled`)
 * fails the execution too (docs/aws-facts.md §13: Fail states count in `ExecutionsFailed`), so
 * `ExecutionsFailed` is never alarmed on: failures are counted by error name from the execution
 * log's `ExecutionFailed` events instead, and only the technical ones page.
 *
 * Child executions of a Distributed Map (the collection's page loops) are watched by their own
 * metrics: AWS emits them under the labelled ARN `stateMachine:<name>/<Map Run label>`
 * (docs/aws-facts.md §20). Express children keep no execution history, so a child that failed or
 * timed out is seen only there (and in the Map Run's counts): any such child pages. A page loop ends
 * every failure it expects in a result (`<source>: failed`), so a failed child is never a business outcome.
 */
import * as aws from "@pulumi/aws";
import * as cloudwatch from "@pulumi/awsx/classic/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import type { MonitoringSettings } from "../stack-config/types";
import { WORKFLOWS } from "../workflows/catalogue";
import { MapRunChildren, MapRunAlarms, mapRunMonitoring } from "../workflows/collect/map-run-monitoring";
import { subscriptionName } from "../workflows/order/component";

export type { MapRunChildren } from "../workflows/collect/map-run-monitoring";

/** The namespace of the metrics the execution logs feed. */
export const METRIC_NAMESPACE = "SfnHttpWorkflows";

/** The log pattern of a technical failure: a `States.*` error or one of the workflow's `incidents`. */
export function technicalFailurePattern(incidents: readonly string[]): string {
    const errors = ["States.*", ...incidents].map((e) => `$.details.error = "${e}"`).join(" || ");
    return `{ $.type = "ExecutionFailed" && (${errors}) }`;
}

/** The order saga's technical-failure pattern: a `States.*` error or one of its incidents (a failed compensation, a payment a person must settle). */
export const TECHNICAL_FAILURE_PATTERN = technicalFailurePattern(WORKFLOWS.order.incidents);

/** Arguments of `WorkflowMonitoring`. */
export interface WorkflowMonitoringArgs {
    readonly stateMachineArn: pulumi.Input<string>;
    readonly stateMachineName: pulumi.Input<string>;
    /** The state machine's log group (logging at `ERROR` or `ALL`): failures by error name come from it. */
    readonly logGroupName: pulumi.Input<string>;
    /** The error names the workflow ends with by design: on the dashboard, never paging. */
    readonly outcomes: readonly string[];
    /** The workflow's own error names that page, besides `States.*` (e.g. `CompensationFailed`). */
    readonly incidents: readonly string[];
    /** Where alarms (and their recoveries) are sent. */
    readonly alarmTopicArn: pulumi.Input<string>;
    readonly periodSeconds: number;
    readonly thresholds: MonitoringSettings["thresholds"];
    /** A queue where starts the workflow's scheduler could not make are kept: any message pages. */
    readonly deadLetterQueueName?: pulumi.Input<string>;
    /** The workflow's Distributed Maps: the label of each (its children's metrics are under `<arn>/<label>`) and their child type. */
    readonly mapRunChildren?: readonly MapRunChildren[];
}

/** One workflow's dashboard, its alarms and the log metric filters they read. */
export class WorkflowMonitoring extends pulumi.ComponentResource {
    /** The dashboard in the CloudWatch console. */
    readonly dashboardUrl: pulumi.Output<string>;
    /** The alarms by what they watch. */
    readonly alarms: Readonly<Record<keyof MonitoringSettings["thresholds"], aws.cloudwatch.MetricAlarm>>;
    /** With `deadLetterQueueName`: the alarm on a message in it (a scheduled run that never started). */
    readonly deadLetterAlarm?: aws.cloudwatch.MetricAlarm;
    /** With `mapRunChildren`: per label, the alarms on its child executions that failed or timed out. */
    readonly childAlarms: Readonly<Record<string, MapRunAlarms>>;

    constructor(name: string, args: WorkflowMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("sfn-http-workflows:index:WorkflowMonitoring", name, {}, opts);
        const parent = { parent: this };
        const period = args.periodSeconds;
        const states = (metric: string, extra: Partial<cloudwatch.MetricArgs> = {}) =>
            new cloudwatch.Metric(
                { namespace: "AWS/States", name: metric, dimensions: { StateMachineArn: args.stateMachineArn }, statistic: "Sum", period, ...extra },
                this,
            );
        const fromLogs = (suffix: string) => pulumi.interpolate`${args.stateMachineName}-${suffix}`;

        // 1. Failures by error name, and technical failures, from the execution log.
        new aws.cloudwatch.LogMetricFilter(
            `${name}-failures-by-error`,
            {
                logGroupName: args.logGroupName,
                pattern: '{ $.type = "ExecutionFailed" }',
                metricTransformation: {
                    name: fromLogs("ExecutionsFailed"),
                    namespace: METRIC_NAMESPACE,
                    value: "1",
                    unit: "Count",
                    dimensions: { Error: "$.details.error" },
                },
            },
            parent,
        );
        new aws.cloudwatch.LogMetricFilter(
            `${name}-technical-failures`,
            {
                logGroupName: args.logGroupName,
                pattern: technicalFailurePattern(args.incidents),
                metricTransformation: { name: fromLogs("TechnicalFailures"), namespace: METRIC_NAMESPACE, value: "1", unit: "Count" },
            },
            parent,
        );
        const technical = new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, name: fromLogs("TechnicalFailures"), statistic: "Sum", period }, this);
        const byError = (error: string) =>
            new cloudwatch.Metric(
                { namespace: METRIC_NAMESPACE, name: fromLogs("ExecutionsFailed"), dimensions: { Error: error }, statistic: "Sum", period, label: error },
                this,
            );

        // 2. Alarms: technical failures only.
        const alarm = (id: keyof MonitoringSettings["thresholds"], metric: cloudwatch.Metric, description: string) =>
            metric.createAlarm(
                `${name}-${id}`,
                {
                    threshold: args.thresholds[id],
                    evaluationPeriods: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "notBreaching",
                    alarmDescription: description,
                    alarmActions: [args.alarmTopicArn],
                    okActions: [args.alarmTopicArn],
                },
                parent,
            );
        this.alarms = {
            timedOut: alarm("timedOut", states("ExecutionsTimedOut"), "Executions timed out."),
            aborted: alarm("aborted", states("ExecutionsAborted"), "Executions were aborted."),
            throttled: alarm("throttled", states("ExecutionThrottled"), "Executions were throttled."),
            technicalFailures: alarm(
                "technicalFailures",
                technical,
                `Executions failed with ${["a States.* error", ...args.incidents].join(" or ")}: a person must look.`,
            ),
        };

        if (args.deadLetterQueueName !== undefined) {
            const waiting = new cloudwatch.Metric(
                {
                    namespace: "AWS/SQS",
                    name: "ApproximateNumberOfMessagesVisible",
                    dimensions: { QueueName: args.deadLetterQueueName },
                    statistic: "Maximum",
                    period,
                },
                this,
            );
            this.deadLetterAlarm = waiting.createAlarm(
                `${name}-dead-letters`,
                {
                    threshold: 1,
                    evaluationPeriods: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    treatMissingData: "notBreaching",
                    alarmDescription: "The scheduler could not start a run (it is in the dead-letter queue): a person must look.",
                    alarmActions: [args.alarmTopicArn],
                    okActions: [args.alarmTopicArn],
                },
                parent,
            );
        }

        // Child executions of each Distributed Map: one failed or timed-out child pages.
        const children = mapRunMonitoring(this, name, { ...args, children: args.mapRunChildren ?? [] });
        this.childAlarms = children.alarms;

        // 3. The dashboard.
        const dashboard = new cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                widgets: [
                    new cloudwatch.LineGraphMetricWidget({
                        title: "Executions",
                        metrics: [
                            "ExecutionsStarted",
                            "ExecutionsSucceeded",
                            "ExecutionsFailed",
                            "ExecutionsTimedOut",
                            "ExecutionsAborted",
                            "ExecutionThrottled",
                        ].map((m) => states(m, { label: m })),
                    }),
                    new cloudwatch.LineGraphMetricWidget({
                        title: "Execution time (ms)",
                        metrics: [
                            states("ExecutionTime", { statistic: undefined, extendedStatistic: 50, label: "p50" }),
                            states("ExecutionTime", { statistic: undefined, extendedStatistic: 99, label: "p99" }),
                        ],
                    }),
                    new cloudwatch.StackedAreaGraphMetricWidget({
                        title: "Outcomes by error name (business outcomes do not page)",
                        metrics: [...args.outcomes.map(byError), technical.withLabel("technical failures (page)")],
                    }),
                    ...children.widgets,
                ],
            },
            parent,
        );
        this.dashboardUrl = dashboard.url;
        this.registerOutputs({ dashboardUrl: this.dashboardUrl });
    }
}

/** The operations topic the alarms go to, with its email subscribers. */
export class OperationsAlerts extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;

    constructor(
        name: string,
        args: { readonly emails: readonly string[]; readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>> },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("sfn-http-workflows:index:OperationsAlerts", name, {}, opts);
        const topic = new aws.sns.Topic(`${name}-topic`, { tags: args.tags }, { parent: this });
        for (const endpoint of args.emails)
            new aws.sns.TopicSubscription(subscriptionName(name, "email", endpoint), { topic: topic.arn, protocol: "email", endpoint }, { parent: this });
        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
