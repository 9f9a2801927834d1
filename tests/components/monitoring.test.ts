// Mocks prove the alarms, filters and dashboard the program declares; they cannot prove that
// CloudWatch evaluates them as intended or that Step Functions logs the fields the filters read.
import * as assert from "node:assert/strict";
import { METRIC_NAMESPACE, OperationsAlerts, TECHNICAL_FAILURE_PATTERN, technicalFailurePattern, WorkflowMonitoring } from "../../deploy/components/monitoring";
import { WORKFLOWS } from "../../deploy/workflows/catalogue";
import { mocks, useStack } from "../helpers/mocks";
import { input, resolve, settle } from "../helpers/pulumi";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:sfn-http-workflows-test-order";

async function build(thresholds = { timedOut: 1, aborted: 2, throttled: 3, technicalFailures: 4 }) {
    const ops = new OperationsAlerts("operations", { emails: ["oncall@example.com"] });
    const monitoring = new WorkflowMonitoring("order-monitoring", {
        stateMachineArn: MACHINE,
        stateMachineName: "sfn-http-workflows-test-order",
        logGroupName: "/aws/vendedlogs/states/sfn-http-workflows-test-order",
        outcomes: WORKFLOWS.order.outcomes,
        incidents: WORKFLOWS.order.incidents,
        alarmTopicArn: ops.topicArn,
        periodSeconds: 300,
        thresholds,
    });
    const [topicArn, url] = await resolve(ops.topicArn.apply((t) => monitoring.dashboardUrl.apply((u) => [t, u] as const)));
    await settle();
    return { topicArn, url };
}

describe("WorkflowMonitoring and OperationsAlerts", () => {
    beforeEach(() => useStack("test", "eu-west-1"));

    it("alarms on technical failures only: timed out, aborted, throttled, States.* errors and CompensationFailed", async () => {
        const { topicArn } = await build();
        const alarms = mocks
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((a) => ({
                name: a.name,
                namespace: a.inputs.namespace,
                metric: a.inputs.metricName,
                dimensions: a.inputs.dimensions,
                statistic: a.inputs.statistic,
                period: a.inputs.period,
                threshold: a.inputs.threshold,
                comparison: a.inputs.comparisonOperator,
                missing: a.inputs.treatMissingData,
                actions: [a.inputs.alarmActions, a.inputs.okActions],
            }))
            .sort((x, y) => x.name.localeCompare(y.name));
        const states = {
            namespace: "AWS/States",
            dimensions: { StateMachineArn: MACHINE },
            statistic: "Sum",
            period: 300,
            comparison: "GreaterThanOrEqualToThreshold",
            missing: "notBreaching",
        };
        const actions = [[topicArn], [topicArn]];
        assert.deepEqual(alarms, [
            { name: "order-monitoring-aborted", ...states, metric: "ExecutionsAborted", threshold: 2, actions },
            {
                ...states,
                name: "order-monitoring-technicalFailures",
                namespace: METRIC_NAMESPACE,
                metric: "sfn-http-workflows-test-order-TechnicalFailures",
                dimensions: undefined,
                threshold: 4,
                actions,
            },
            { name: "order-monitoring-throttled", ...states, metric: "ExecutionThrottled", threshold: 3, actions },
            { name: "order-monitoring-timedOut", ...states, metric: "ExecutionsTimedOut", threshold: 1, actions },
        ]);
        // Business outcomes fail executions too: nothing may alarm on ExecutionsFailed.
        assert.equal(
            alarms.some((a) => a.metric === "ExecutionsFailed" || /PaymentDeclined|InvalidOrder|OrderCancelled/.test(JSON.stringify(a))),
            false,
        );
    });

    it("counts failures by error name, and technical failures, from the execution log", async () => {
        await build();
        const filters = mocks
            .ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter")
            .map((f) => [f.inputs.pattern, f.inputs.metricTransformation])
            .sort((a, b) => String(a[0]).length - String(b[0]).length);
        assert.deepEqual(filters, [
            [
                '{ $.type = "ExecutionFailed" }',
                {
                    name: "sfn-http-workflows-test-order-ExecutionsFailed",
                    namespace: METRIC_NAMESPACE,
                    value: "1",
                    unit: "Count",
                    dimensions: { Error: "$.details.error" },
                },
            ],
            [TECHNICAL_FAILURE_PATTERN, { name: "sfn-http-workflows-test-order-TechnicalFailures", namespace: METRIC_NAMESPACE, value: "1", unit: "Count" }],
        ]);
        for (const f of mocks.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter"))
            assert.equal(f.inputs.logGroupName, "/aws/vendedlogs/states/sfn-http-workflows-test-order");
    });

    it("shows executions, p50 and p99 execution time, and every outcome by error name on one dashboard", async () => {
        const { url } = await build();
        const [dashboard] = mocks.ofType("aws:cloudwatch/dashboard:Dashboard");
        const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] };
        const byTitle = Object.fromEntries(body.widgets.map((w) => [w.properties.title, w.properties.metrics]));
        assert.deepEqual(Object.keys(byTitle), ["Executions", "Execution time (ms)", "Outcomes by error name (business outcomes do not page)"]);
        assert.deepEqual(
            byTitle.Executions.map((m) => m[1]),
            ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted", "ExecutionThrottled"],
        );
        assert.deepEqual(
            byTitle["Execution time (ms)"].map((m) => (m[m.length - 1] as { stat: string }).stat),
            ["p50", "p99"],
        );
        const outcomes = byTitle["Outcomes by error name (business outcomes do not page)"];
        assert.deepEqual(
            outcomes.slice(0, WORKFLOWS.order.outcomes.length).map((m) => [m[1], m[3]]),
            WORKFLOWS.order.outcomes.map((e) => ["sfn-http-workflows-test-order-ExecutionsFailed", e]),
        );
        assert.match(url, /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#dashboards:name=/);
    });

    it("sends alarms to an operations topic with its own email subscribers", async () => {
        await build();
        const subscriptions = mocks.ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs.protocol, s.inputs.endpoint]);
        assert.deepEqual(subscriptions, [["email", "oncall@example.com"]]);
    });

    it("pages a collection's own incidents and any message in its scheduler's dead-letter queue", async () => {
        const ops = new OperationsAlerts("operations", { emails: [] });
        const monitoring = new WorkflowMonitoring("collect-monitoring", {
            stateMachineArn: MACHINE.replace(/order$/, "collect"),
            stateMachineName: "sfn-http-workflows-test-collect",
            logGroupName: "/aws/vendedlogs/states/sfn-http-workflows-test-collect",
            outcomes: WORKFLOWS.collect.outcomes,
            incidents: WORKFLOWS.collect.incidents,
            alarmTopicArn: ops.topicArn,
            periodSeconds: 60,
            thresholds: { timedOut: 1, aborted: 1, throttled: 1, technicalFailures: 1 },
            deadLetterQueueName: "collect-schedule-dead-letters-abc",
        });
        const topicArn = await resolve(ops.topicArn);
        await resolve(monitoring.dashboardUrl);
        await settle();
        const filter = mocks.ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter").find((f) => f.name === "collect-monitoring-technical-failures")!;
        assert.equal(
            filter.inputs.pattern,
            '{ $.type = "ExecutionFailed" && ($.details.error = "States.*" || $.details.error = "CollectionIncomplete" || $.details.error = "SummaryNotPublished" || $.details.error = "UnknownSource") }',
        );
        assert.equal(technicalFailurePattern(WORKFLOWS.order.incidents), TECHNICAL_FAILURE_PATTERN);
        const dlq = mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.name === "collect-monitoring-dead-letters")!;
        assert.deepEqual(
            [dlq.inputs.namespace, dlq.inputs.metricName, dlq.inputs.dimensions, dlq.inputs.threshold, dlq.inputs.alarmActions],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: "collect-schedule-dead-letters-abc" }, 1, [topicArn]],
        );
    });

    it("pages on any failed or timed-out child execution of each Map Run, read from the labelled ARN its children's metrics carry", async () => {
        const ops = new OperationsAlerts("operations", { emails: [] });
        const collect = MACHINE.replace(/order$/, "collect");
        const monitoring = new WorkflowMonitoring("collect-monitoring", {
            stateMachineArn: collect,
            stateMachineName: "sfn-http-workflows-test-collect",
            logGroupName: "/aws/vendedlogs/states/sfn-http-workflows-test-collect",
            outcomes: WORKFLOWS.collect.outcomes,
            incidents: WORKFLOWS.collect.incidents,
            alarmTopicArn: ops.topicArn,
            periodSeconds: 60,
            thresholds: { timedOut: 1, aborted: 1, throttled: 1, technicalFailures: 5 },
            mapRunChildren: [
                { label: "readings", executionType: "EXPRESS" },
                { label: "sources_social", executionType: "STANDARD" },
            ],
        });
        const topicArn = await resolve(ops.topicArn);
        await resolve(monitoring.dashboardUrl);
        await settle();
        const children = mocks
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .filter((a) => a.name.includes("-children-"))
            .map((a) => [a.name, a.inputs.namespace, a.inputs.metricName, a.inputs.dimensions, a.inputs.threshold, a.inputs.alarmActions])
            .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
        const at = (label: string) => ({ StateMachineArn: `${collect}/${label}` });
        assert.deepEqual(children, [
            ["collect-monitoring-children-readings-failed", "AWS/States", "ExecutionsFailed", at("readings"), 1, [topicArn]],
            ["collect-monitoring-children-readings-timed-out", "AWS/States", "ExecutionsTimedOut", at("readings"), 1, [topicArn]],
            ["collect-monitoring-children-sources_social-failed", "AWS/States", "ExecutionsFailed", at("sources_social"), 1, [topicArn]],
            ["collect-monitoring-children-sources_social-timed-out", "AWS/States", "ExecutionsTimedOut", at("sources_social"), 1, [topicArn]],
        ]);
        const express = mocks.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.name === "collect-monitoring-children-readings-failed")!;
        assert.match(String(express.inputs.alarmDescription), /Express children keep no execution history/);
        const dashboard = mocks.ofType("aws:cloudwatch/dashboard:Dashboard").find((d) => d.name === "collect-monitoring-dashboard")!;
        const body = String(input(dashboard, "dashboardBody"));
        assert.ok(body.includes(`${collect}/readings`) && body.includes("Child executions of readings (EXPRESS)"), body);
    });
});
