/**
 * Alarms and dashboard widgets for the child executions of a workflow's Distributed Maps. AWS emits
 * the children's metrics under the labelled ARN `stateMachine:<name>/<Map Run label>`
 * (docs/aws-facts.md §20). Express children keep no execution history, so a child that failed or
 * timed out is seen only there and in the Map Run's counts: any such child pages. The collection's
 * page loop ends every failure it expects in a result (`<source>: failed`), so a failed child is
 * never a business outcome.
 */
import * as aws from "@pulumi/aws";
import * as cloudwatch from "@pulumi/awsx/classic/cloudwatch";
import * as pulumi from "@pulumi/pulumi";

/** The child executions of one Distributed Map, as its metrics name them. */
export interface MapRunChildren {
    readonly label: string;
    readonly executionType: "STANDARD" | "EXPRESS";
}

/** The alarms on one Map Run label's children. */
export interface MapRunAlarms {
    readonly failed: aws.cloudwatch.MetricAlarm;
    readonly timedOut: aws.cloudwatch.MetricAlarm;
}

/** The metric dimension of a Map Run's child executions: the labelled state machine ARN (docs/aws-facts.md §20). */
function childStateMachineArn(stateMachineArn: pulumi.Input<string>, label: string): pulumi.Output<string> {
    return pulumi.interpolate`${stateMachineArn}/${label}`;
}

/** Per label, an alarm on failed and on timed-out children (threshold 1), and a widget of their executions; `parent` owns them. */
export function mapRunMonitoring(
    parent: pulumi.ComponentResource,
    name: string,
    args: {
        readonly stateMachineArn: pulumi.Input<string>;
        readonly alarmTopicArn: pulumi.Input<string>;
        readonly periodSeconds: number;
        readonly children: readonly MapRunChildren[];
    },
): { alarms: Record<string, MapRunAlarms>; widgets: cloudwatch.Widget[] } {
    const metric = (c: MapRunChildren, metricName: string, extra: Partial<cloudwatch.MetricArgs> = {}) =>
        new cloudwatch.Metric(
            {
                namespace: "AWS/States",
                name: metricName,
                dimensions: { StateMachineArn: childStateMachineArn(args.stateMachineArn, c.label) },
                statistic: "Sum",
                period: args.periodSeconds,
                ...extra,
            },
            parent,
        );
    const alarm = (c: MapRunChildren, metricName: string, what: string) =>
        metric(c, metricName).createAlarm(
            `${name}-children-${c.label}-${what.replace(/\W+/g, "-")}`,
            {
                threshold: 1,
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                alarmDescription:
                    `Child executions (${c.executionType}) of the Map Run \`${c.label}\` ${what}: ` +
                    (c.executionType === "EXPRESS"
                        ? "Express children keep no execution history, see the Map Run's details (DescribeMapRun) and the parent's execution."
                        : "see the Map Run's details and the child's execution history."),
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            { parent },
        );
    return {
        alarms: Object.fromEntries(
            args.children.map((c) => [c.label, { failed: alarm(c, "ExecutionsFailed", "failed"), timedOut: alarm(c, "ExecutionsTimedOut", "timed out") }]),
        ),
        widgets: args.children.map(
            (c) =>
                new cloudwatch.LineGraphMetricWidget({
                    title: `Child executions of ${c.label} (${c.executionType})`,
                    metrics: ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"].map((m) => metric(c, m, { label: m })),
                }),
        ),
    };
}
