/**
 * Rules for `<api>.private`: how EventBridge reaches an API inside a VPC. Pure, like `api-rules.ts`.
 */
import { Problems } from "./api-rules";
import { isObject } from "../asl/json";
import { rmCommand, run, setCommand } from "./fixes";
import { PrivateConnectivity } from "./types";

const RESOURCE_CONFIGURATION_ARN = /^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:resourceconfiguration\/rcfg-[0-9a-z]+$/;
const ids = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);

function idList(value: unknown, at: string, pattern: RegExp, what: string, required: boolean, problems: Problems): string[] {
    if (value === undefined && !required) return [];
    if (!Array.isArray(value) || (required && value.length === 0) || value.some((v) => typeof v !== "string" || !pattern.test(v))) {
        problems.push(`\`${at}\` must be a ${required ? "non-empty " : ""}list of ${what}${run(setCommand(`${at}[0]`, `<${what.replace(/ ids?$/, "")}-id>`))}`);
        return [];
    }
    return value as string[];
}

/**
 * `<api>.private`: `{ resourceConfigurationArn }`, or `{ vpcId, subnetIds, securityGroupIds? }` for a
 * resource gateway and configuration the program creates. Undefined when absent or invalid.
 */
export function privateConnectivity(value: unknown, at: string, problems: Problems): PrivateConnectivity | undefined {
    if (value === undefined) return undefined;
    const fix = run(rmCommand(at), setCommand(`${at}.resourceConfigurationArn`, "<arn>"));
    if (!isObject(value)) {
        problems.push(`\`${at}\` must be an object with \`resourceConfigurationArn\`, or \`vpcId\` and \`subnetIds\`${fix}`);
        return undefined;
    }
    const keys = Object.keys(value);
    if ("resourceConfigurationArn" in value) {
        const arn = value.resourceConfigurationArn;
        if (keys.length > 1)
            problems.push(`\`${at}\`: \`resourceConfigurationArn\` goes alone (the gateway and subnets are its own)${run(rmCommand(`${at}.vpcId`))}`);
        if (typeof arn !== "string" || !RESOURCE_CONFIGURATION_ARN.test(arn)) {
            problems.push(
                `\`${at}.resourceConfigurationArn\` must be a VPC Lattice resource configuration ARN (got \`${String(arn)}\`)${run(setCommand(`${at}.resourceConfigurationArn`, "<arn>"))}`,
            );
            return undefined;
        }
        return keys.length > 1 ? undefined : { resourceConfigurationArn: arn };
    }
    const unknown = keys.filter((k) => !["vpcId", "subnetIds", "securityGroupIds"].includes(k));
    for (const k of unknown)
        problems.push(
            `\`${at}.${k}\` is not a known setting (known: \`resourceConfigurationArn\`, \`vpcId\`, \`subnetIds\`, \`securityGroupIds\`)${run(rmCommand(`${at}.${k}`))}`,
        );
    const vpcId = value.vpcId;
    if (typeof vpcId !== "string" || !ids("vpc").test(vpcId))
        problems.push(
            `\`${at}.vpcId\` must be a VPC id such as \`vpc-0abc12345678def90\` (got \`${String(vpcId)}\`)${run(setCommand(`${at}.vpcId`, "<vpc-id>"))}`,
        );
    const subnetIds = idList(value.subnetIds, `${at}.subnetIds`, ids("subnet"), "subnet ids", true, problems);
    const securityGroupIds = idList(value.securityGroupIds, `${at}.securityGroupIds`, ids("sg"), "security group ids", false, problems);
    if (unknown.length > 0 || typeof vpcId !== "string" || !ids("vpc").test(vpcId) || subnetIds.length === 0) return undefined;
    return { vpcId, subnetIds, securityGroupIds };
}

/**
 * Hex parts of ids that stand for real ones: this repository's examples (`vpc-0a1b2c3d4e5f67890`),
 * the shapes documentation uses (`1a2b3c4d`, `12345678`, `abcdef…`, `deadbeef`) and all zeros. A real
 * id's 8 or 17 hex digits are random, so starting with one of these is not a real id.
 */
const PLACEHOLDER_HEX = /^(0+$|0?1a2b3c4d|0a1b2c3d|0f1e2d3c|0?12345678|0?abcdef|0abc12345678def90|deadbeef)/;

/** True for an id such as `vpc-0a1b2c3d4e5f67890` that only stands for a real one. */
function isPlaceholderId(id: string): boolean {
    return PLACEHOLDER_HEX.test(id.replace(/^[a-z]+-/, ""));
}

/**
 * A stack that is deployed (one without `example: true`) cannot hold placeholder VPC, subnet or
 * security-group ids: EventBridge would reach no API through them. One problem per id, each with the
 * command that sets the real one.
 */
export function placeholderIdProblems(reach: PrivateConnectivity | undefined, at: string, problems: Problems): void {
    if (reach === undefined || "resourceConfigurationArn" in reach) return;
    const ids: [string, string, string][] = [
        [`${at}.vpcId`, reach.vpcId, "<vpc-id>"],
        ...reach.subnetIds.map((id, i): [string, string, string] => [`${at}.subnetIds[${i}]`, id, "<subnet-id>"]),
        ...reach.securityGroupIds.map((id, i): [string, string, string] => [`${at}.securityGroupIds[${i}]`, id, "<security-group-id>"]),
    ];
    for (const [key, id, placeholder] of ids) {
        if (isPlaceholderId(id))
            problems.push(
                `\`${key}\`: \`${id}\` is a placeholder, and this stack is deployed (it does not say \`example: true\`)${run(setCommand(key, placeholder))}`,
            );
    }
}
