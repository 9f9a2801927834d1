/**
 * Rules for `intake`: the order intake API (`POST /orders` on API Gateway), on or off per stack, with
 * its auth, throttling and access-log retention. Pure, like `api-rules.ts`.
 */
import { configNumber, parseJsonString, Problems } from "./api-rules";
import { isObject } from "../asl/json";
import { rmCommand, run, setCommand, unknownKeyProblem } from "./fixes";
import { IntakeSettings, LOG_RETENTION_DAYS } from "./types";

/** Defaults: off; when on, IAM auth, 50 requests/s with bursts of 100, access logs kept 30 days. */
export const INTAKE_DEFAULTS: IntakeSettings = { enabled: false, auth: "iam", throttle: { rateLimit: 50, burstLimit: 100 }, accessLogRetentionDays: 30 };

const KNOWN = ["enabled", "auth", "throttle", "accessLogRetentionDays"];

/** `intake`, validated; it needs the `order` workflow. */
export function intakeSettings(raw: unknown, workflows: readonly string[], problems: Problems): IntakeSettings {
    const value = parseJsonString(raw);
    if (value === undefined) return INTAKE_DEFAULTS;
    if (!isObject(value)) {
        problems.push(`\`intake\` must be an object such as \`{ enabled: true, auth: iam }\`${run(rmCommand("intake"), setCommand("intake.enabled", "true"))}`);
        return INTAKE_DEFAULTS;
    }
    for (const key of Object.keys(value)) if (!KNOWN.includes(key)) problems.push(unknownKeyProblem(`intake.${key}`, key, KNOWN));
    const enabled = value.enabled === true || value.enabled === "true";
    if (value.enabled !== undefined && ![true, false, "true", "false"].includes(value.enabled as never))
        problems.push(`\`intake.enabled\` must be \`true\` or \`false\`${run(setCommand("intake.enabled", "true"))}`);
    const auth = value.auth ?? INTAKE_DEFAULTS.auth;
    if (auth !== "iam" && auth !== "apiKey")
        problems.push(`\`intake.auth\` must be \`iam\` or \`apiKey\` (got \`${String(auth)}\`)${run(setCommand("intake.auth", "iam"))}`);
    const throttleRaw = isObject(value.throttle) ? value.throttle : {};
    if (value.throttle !== undefined && !isObject(value.throttle)) problems.push(`\`intake.throttle\` must be an object${run(rmCommand("intake.throttle"))}`);
    for (const key of Object.keys(throttleRaw))
        if (!["rateLimit", "burstLimit"].includes(key)) problems.push(unknownKeyProblem(`intake.throttle.${key}`, key, ["rateLimit", "burstLimit"]));
    const throttle = { ...INTAKE_DEFAULTS.throttle };
    for (const key of ["rateLimit", "burstLimit"] as const) {
        if (throttleRaw[key] === undefined) continue;
        const n = configNumber(throttleRaw[key]);
        if (!Number.isFinite(n) || n <= 0 || (key === "burstLimit" && !Number.isInteger(n)))
            problems.push(
                `\`intake.throttle.${key}\` must be a positive ${key === "burstLimit" ? "integer" : "number"} (got \`${String(throttleRaw[key])}\`)${run(setCommand(`intake.throttle.${key}`, String(INTAKE_DEFAULTS.throttle[key])))}`,
            );
        else throttle[key] = n;
    }
    const retention = configNumber(value.accessLogRetentionDays ?? INTAKE_DEFAULTS.accessLogRetentionDays);
    if (!LOG_RETENTION_DAYS.includes(retention))
        problems.push(
            `\`intake.accessLogRetentionDays\` must be a period CloudWatch Logs accepts (got \`${String(value.accessLogRetentionDays)}\`)${run(setCommand("intake.accessLogRetentionDays", "30"))}`,
        );
    if (enabled && !workflows.includes("order"))
        problems.push(
            `\`intake\` starts the \`order\` workflow, which this stack does not enable${run(setCommand(`workflows[${workflows.length}]`, "order"))}`,
        );
    return { enabled, auth: auth === "apiKey" ? "apiKey" : "iam", throttle, accessLogRetentionDays: LOG_RETENTION_DAYS.includes(retention) ? retention : 30 };
}
