/**
 * Rules for `monitoring`: dashboards and alarms per workflow, on or off per stack, with thresholds.
 * Pure, like `api-rules.ts`.
 */
import { configNumber, parseJsonString, Problems } from "./api-rules";
import { isObject } from "../asl/json";
import { rmCommand, run, setCommand, unknownKeyProblem } from "./fixes";
import { MonitoringSettings, WorkflowSettings } from "./types";

/** Defaults: off; when on, any single technical failure in a 5-minute period pages. */
export const MONITORING_DEFAULTS: MonitoringSettings = {
    enabled: false,
    alarmEmails: [],
    periodSeconds: 300,
    thresholds: { timedOut: 1, aborted: 1, throttled: 1, technicalFailures: 1 },
};

const THRESHOLDS = Object.keys(MONITORING_DEFAULTS.thresholds) as (keyof MonitoringSettings["thresholds"])[];
const KNOWN = ["enabled", "alarmEmails", "periodSeconds", "thresholds"];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** `monitoring`, validated against the workflow settings (the error metrics come from the execution logs). */
export function monitoringSettings(raw: unknown, workflow: WorkflowSettings, problems: Problems): MonitoringSettings {
    const value = parseJsonString(raw);
    if (value === undefined) return MONITORING_DEFAULTS;
    if (!isObject(value)) {
        problems.push(
            `\`monitoring\` must be an object such as \`{ enabled: true, alarmEmails: [ops@example.com] }\`${run(rmCommand("monitoring"), setCommand("monitoring.enabled", "true"))}`,
        );
        return MONITORING_DEFAULTS;
    }
    for (const key of Object.keys(value)) if (!KNOWN.includes(key)) problems.push(unknownKeyProblem(`monitoring.${key}`, key, KNOWN));
    const enabled = value.enabled === true || value.enabled === "true";
    if (value.enabled !== undefined && typeof value.enabled !== "boolean" && value.enabled !== "true" && value.enabled !== "false")
        problems.push(`\`monitoring.enabled\` must be \`true\` or \`false\`${run(setCommand("monitoring.enabled", "true"))}`);
    const emails = value.alarmEmails ?? [];
    if (!Array.isArray(emails) || emails.some((e) => typeof e !== "string" || !EMAIL.test(e)))
        problems.push(
            `\`monitoring.alarmEmails\` must be a list of email addresses${run(rmCommand("monitoring.alarmEmails"), setCommand("monitoring.alarmEmails[0]", "ops@example.com"))}`,
        );
    const period = configNumber(value.periodSeconds ?? MONITORING_DEFAULTS.periodSeconds);
    if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
        problems.push(
            `\`monitoring.periodSeconds\` must be a whole number of minutes in seconds (60, 300, …) (got \`${String(value.periodSeconds)}\`)${run(setCommand("monitoring.periodSeconds", "300"))}`,
        );
    const given = isObject(value.thresholds) ? value.thresholds : {};
    if (value.thresholds !== undefined && !isObject(value.thresholds))
        problems.push(`\`monitoring.thresholds\` must be an object${run(rmCommand("monitoring.thresholds"))}`);
    for (const key of Object.keys(given))
        if (!(THRESHOLDS as string[]).includes(key)) problems.push(unknownKeyProblem(`monitoring.thresholds.${key}`, key, THRESHOLDS));
    const thresholds = { ...MONITORING_DEFAULTS.thresholds };
    for (const key of THRESHOLDS) {
        if (given[key] === undefined) continue;
        const n = configNumber(given[key]);
        if (!Number.isInteger(n) || n < 1)
            problems.push(
                `\`monitoring.thresholds.${key}\` must be a positive integer (got \`${String(given[key])}\`)${run(setCommand(`monitoring.thresholds.${key}`, "1"))}`,
            );
        else thresholds[key] = n;
    }
    // Failures by error name come from the execution log's ExecutionFailed events, logged at ERROR and ALL.
    if (enabled && workflow.logLevel !== "ALL" && workflow.logLevel !== "ERROR")
        problems.push(
            `\`monitoring\` needs \`logLevel\` \`ERROR\` or \`ALL\` (got \`${workflow.logLevel}\`): the failure metrics come from the execution logs${run(setCommand("logLevel", "ERROR"))}`,
        );
    return { enabled, alarmEmails: Array.isArray(emails) ? (emails as string[]) : [], periodSeconds: period, thresholds };
}
