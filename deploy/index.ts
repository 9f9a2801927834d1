/**
 * Composition root: load the stack config, build a connection per API the enabled workflows call
 * and each enabled workflow's component, export the outputs. Names no workflow and no API: they
 * are data (`deploy/workflows/catalogue.ts`, `deploy/components/workflows.ts`).
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiConnection } from "./components/api-connection";
import { OperationsAlerts, WorkflowMonitoring } from "./components/monitoring";
import { DeployedWorkflow, WORKFLOW_COMPONENTS } from "./components/workflows";
import { loadConfig } from "./config";
import { connectionArgs } from "./stack-config/connection-args";
import { PROJECT } from "./stack-config/types";
import { WORKFLOWS } from "./workflows/catalogue";

const { settings, secrets } = loadConfig();
const tags = { ...settings.tags, project: PROJECT, stack: pulumi.getStack() };
const options = { ...settings.workflow, includeExecutionData: settings.workflow.logIncludeExecutionData, tags };

const apis = Object.fromEntries(
    Object.entries(settings.apis).map(([name, api]) => [
        name,
        { baseUrl: api.baseUrl, connection: new ApiConnection(name, connectionArgs(api, secrets[name])) },
    ]),
);
const workflows: [string, DeployedWorkflow][] = settings.workflows.map((name) => [name, WORKFLOW_COMPONENTS[name]({ apis, settings, options })]);
const byWorkflow = <T>(pick: (w: DeployedWorkflow) => T) => Object.fromEntries(workflows.map(([name, w]) => [name, pick(w)]));

// Dashboards and alarms, per stack (`monitoring`); validation made sure the workflows log at ERROR or ALL.
const { monitoring } = settings;
const operations = monitoring.enabled ? new OperationsAlerts("operations", { emails: monitoring.alarmEmails, tags }) : undefined;
const dashboards = operations
    ? Object.fromEntries(
          workflows.map(([name, w]) => [
              name,
              new WorkflowMonitoring(`${name}-monitoring`, {
                  stateMachineArn: w.stateMachineArn,
                  stateMachineName: w.stateMachineName,
                  logGroupName: w.logGroupName.apply((g) => g ?? ""),
                  outcomes: WORKFLOWS[name as keyof typeof WORKFLOWS].outcomes,
                  incidents: WORKFLOWS[name as keyof typeof WORKFLOWS].incidents,
                  deadLetterQueueName: w.deadLetterQueueName,
                  mapRunChildren: w.mapRunChildren,
                  alarmTopicArn: operations.topicArn,
                  periodSeconds: monitoring.periodSeconds,
                  thresholds: monitoring.thresholds,
              }).dashboardUrl,
          ]),
      )
    : undefined;

export = {
    /** State machine ARNs by workflow. */
    stateMachineArns: byWorkflow((w) => w.stateMachineArn),
    /** EventBridge connection ARNs by API. */
    connectionArns: Object.fromEntries(Object.entries(apis).map(([name, a]) => [name, a.connection.arn])),
    /** ARNs of the Secrets Manager secrets EventBridge keeps for each connection. */
    connectionSecretArns: Object.fromEntries(Object.entries(apis).map(([name, a]) => [name, a.connection.secretArn])),
    /** Execution role ARNs by workflow. */
    roleArns: byWorkflow((w) => w.roleArn),
    /** Log group names by workflow (absent when logging is off). */
    logGroupNames: byWorkflow((w) => w.logGroupName),
    /** With `monitoring`: the operations topic alarms go to, and each workflow's dashboard. */
    ...(operations ? { operationsTopicArn: operations.topicArn, dashboardUrls: dashboards } : {}),
    /** The outputs of each workflow's own: the order's topic, console URL and start command, the comments' start command. */
    ...Object.assign({}, ...workflows.map(([, w]) => w.outputs)),
};
