/**
 * The statements `derivePolicy` adds for data tasks and Distributed Maps, each on exactly what the
 * definition names:
 * - `s3:PutObject` on the literal prefix of each `s3:putObject` key (placeholders become `*`, so
 *   `devices/{}/{}.json` is `arn:aws:s3:::<bucket>/devices/*` + `/*.json`, never the whole bucket);
 * - `s3:GetObject` on exactly the object each `ItemReader` reads;
 * - `events:PutEvents` on exactly the bus each `events:putEvents` entry names;
 * - for a Distributed Map, what AWS's "IAM policies for using Distributed Map states" page lists
 *   (docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html): `states:StartExecution` on this state machine only (its children run
 *   the same definition), `states:DescribeExecution` on its executions (`execution:<name>:*`), and
 *   `states:RedriveExecution` on that Map Run's child executions only (`execution:<name>/<Label>:*`),
 *   Standard children only (a redriven Map Run starts Express children anew with `StartExecution`, §20);
 *   plus `states:DescribeExecution`/`states:StopExecution` on the same children, which the page does
 *   not list (UNKNOWN whether a Map Run needs them; kept because they reach only that Map Run's
 *   children). The label must be set.
 * Anything dynamic it cannot scope throws, like the rest of `derivePolicy`.
 */
import { formatTemplate } from "./endpoint";
import { EVENTS_PUT_EVENTS, S3_GET_OBJECT, S3_PUT_OBJECT } from "./data-tasks";
import { isObject } from "./json";
import { unescapeIntrinsicText } from "./payload";
import { IamStatement } from "./policy";
import { MapState, State, StateMachineDefinition } from "./types";
import { allStates } from "./walk";

/** The task resources this module grants. */
export const DATA_RESOURCES: readonly string[] = [S3_PUT_OBJECT, EVENTS_PUT_EVENTS];

/** Parts of the state machine's ARN: `arn:<partition>:states:<region>:<account>:stateMachine:<name>`. */
function machineParts(stateMachineArn: string): { partition: string; region: string; account: string; name: string } {
    const [, partition, , region, account, , name] = stateMachineArn.split(":");
    return { partition, region, account, name };
}

/** Escapes IAM's wildcard and variable characters in literal text. */
function literal(text: string): string {
    return text.replace(/[$*?]/g, (c) => `\${${c}}`);
}

function literalString(value: unknown, what: string, stateName: string): string {
    if (typeof value !== "string" || value === "")
        throw new Error(`State \`${stateName}\` needs a literal \`${what}\`: a dynamic one cannot be scoped in IAM.`);
    return value;
}

/** The object pattern of an `s3:putObject` Task: literal key, or a `States.Format` key whose prefix is literal. */
function putObjectPattern(parameters: Record<string, unknown>, stateName: string): string {
    const bucket = literalString(parameters.Bucket, "Bucket", stateName);
    if (typeof parameters.Key === "string") return `${bucket}/${literal(parameters.Key)}`;
    const template = typeof parameters["Key.$"] === "string" ? formatTemplate(parameters["Key.$"]) : undefined;
    const parts = template?.split("{}").map(unescapeIntrinsicText);
    if (!parts || parts[0] === "" || !parts[0].includes("/"))
        throw new Error(`State \`${stateName}\`: the key must be a literal or \`States.Format('<prefix>/…{}…', …)\` with a literal prefix ending in \`/\`.`);
    return `${bucket}/${parts.map(literal).join("*")}`;
}

/** The bus ARN of one `PutEvents` entry (`default` when the entry names none). */
function busArn(entry: unknown, stateName: string, stateMachineArn: string): string {
    const { partition, region, account } = machineParts(stateMachineArn);
    if (!isObject(entry) || entry["EventBusName.$"] !== undefined)
        throw new Error(`State \`${stateName}\` needs a literal \`EventBusName\` in each entry: a dynamic bus cannot be scoped in IAM.`);
    const name = entry.EventBusName === undefined ? "default" : literalString(entry.EventBusName, "EventBusName", stateName);
    return name.startsWith("arn:") ? name : `arn:${partition}:events:${region}:${account}:event-bus/${name}`;
}

/** Every Distributed Map of `definition` (nested ones included), with its state name. */
export function distributedMaps(definition: StateMachineDefinition): { name: string; state: MapState }[] {
    return allStates(definition).flatMap(({ name, state }) =>
        state.Type === "Map" && state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED" ? [{ name, state }] : [],
    );
}

/** True when a Map's children run as Express executions. */
export function hasExpressChildren(state: MapState): boolean {
    const config = state.ItemProcessor.ProcessorConfig;
    return config?.Mode === "DISTRIBUTED" && config.ExecutionType === "EXPRESS";
}

/** The labels of the Distributed Maps whose children are Express executions. */
export function expressLabels(definition: StateMachineDefinition): string[] {
    return distributedMaps(definition).flatMap(({ state }) => (state.Label && hasExpressChildren(state) ? [state.Label] : []));
}

/** The Map Run labels of the definition's Distributed Maps (each must set `Label`). */
export function mapRunLabels(definition: StateMachineDefinition): string[] {
    return distributedMaps(definition).map(({ name, state }) => {
        if (!state.Label) throw new Error(`Distributed Map \`${name}\` needs a \`Label\`: its child executions are granted by it.`);
        return state.Label;
    });
}

/**
 * For each state that runs inside a Distributed Map's child executions, the labels of every
 * Distributed Map around it, outermost first. A child runs as `stateMachine:<name>/<Label>`; a
 * nested Map Run's children are named by their own Map's label, so all enclosing labels are kept.
 */
export function enclosingMapLabels(definition: StateMachineDefinition, around: readonly string[] = [], out = new Map<State, string[]>()): Map<State, string[]> {
    for (const [name, state] of Object.entries(definition.States)) {
        if (around.length > 0) out.set(state, [...new Set([...(out.get(state) ?? []), ...around])]);
        if (state.Type === "Parallel") for (const branch of state.Branches) enclosingMapLabels(branch, around, out);
        if (state.Type !== "Map") continue;
        const distributed = state.ItemProcessor.ProcessorConfig?.Mode === "DISTRIBUTED";
        if (distributed && !state.Label) throw new Error(`Distributed Map \`${name}\` needs a \`Label\`: its child executions are granted by it.`);
        enclosingMapLabels(state.ItemProcessor, distributed ? [...around, state.Label!] : around, out);
    }
    return out;
}

/** The statements for the definition's data tasks and Distributed Maps (see the module comment). */
export function dataStatements(definition: StateMachineDefinition, stateMachineArn: string, machineArns: readonly string[]): IamStatement[] {
    const { partition, region, account, name: machineName } = machineParts(stateMachineArn);
    const s3 = (pattern: string) => `arn:${partition}:s3:::${pattern}`;
    const puts = new Set<string>();
    const buses = new Set<string>();
    const reads = new Set<string>();
    for (const { name, state } of allStates(definition)) {
        if (state.Type === "Task" && state.Resource === S3_PUT_OBJECT) puts.add(s3(putObjectPattern(state.Parameters ?? {}, name)));
        if (state.Type === "Task" && state.Resource === EVENTS_PUT_EVENTS) {
            const entries = state.Parameters?.Entries;
            if (!Array.isArray(entries) || entries.length === 0) throw new Error(`State \`${name}\` needs a literal list of \`Entries\`.`);
            for (const entry of entries) buses.add(busArn(entry, name, stateMachineArn));
        }
        if (state.Type === "Map" && state.ItemReader) {
            if (state.ItemReader.Resource !== S3_GET_OBJECT) throw new Error(`State \`${name}\`: only an \`${S3_GET_OBJECT}\` item reader can be granted.`);
            const p = state.ItemReader.Parameters as unknown as Record<string, unknown>;
            reads.add(
                s3(`${literalString(p.Bucket, "ItemReader.Parameters.Bucket", name)}/${literal(literalString(p.Key, "ItemReader.Parameters.Key", name))}`),
            );
        }
    }
    const statements: IamStatement[] = [];
    const sorted = (set: Set<string>) => [...set].sort();
    if (puts.size > 0) statements.push({ Sid: "StorePages", Effect: "Allow", Action: ["s3:PutObject"], Resource: sorted(puts) });
    if (reads.size > 0) statements.push({ Sid: "ReadItemLists", Effect: "Allow", Action: ["s3:GetObject"], Resource: sorted(reads) });
    if (buses.size > 0) statements.push({ Sid: "PublishEvents", Effect: "Allow", Action: ["events:PutEvents"], Resource: sorted(buses) });
    const labels = mapRunLabels(definition);
    if (labels.length > 0) {
        const states = `arn:${partition}:states:${region}:${account}`;
        statements.push(
            { Sid: "StartMapRunChildren", Effect: "Allow", Action: ["states:StartExecution"], Resource: [...machineArns] },
            // The page's minimum: "states:DescribeExecution" on "execution:<stateMachineName>:*".
            { Sid: "DescribeExecutions", Effect: "Allow", Action: ["states:DescribeExecution"], Resource: [`${states}:execution:${machineName}:*`] },
        );
        // Child executions are `execution:<machine>/<Label>:<id>`; redriving a Map Run redrives its Standard children with
        // RedriveExecution, but "the Express child workflows are rerun using the StartExecution API action" (AWS
        // RedriveExecution API reference, docs/aws-facts.md §20), so Express children's labels get no RedriveExecution.
        const express = new Set(expressLabels(definition));
        const arns = (ls: string[]) => ls.map((l) => `${states}:execution:${machineName}/${l}:*`).sort();
        const standard = labels.filter((l) => !express.has(l));
        if (standard.length > 0)
            statements.push({
                Sid: "ManageMapRunChildren",
                Effect: "Allow",
                Action: ["states:DescribeExecution", "states:RedriveExecution", "states:StopExecution"],
                Resource: arns(standard),
            });
        if (express.size > 0)
            statements.push({
                Sid: "ManageExpressMapRunChildren",
                Effect: "Allow",
                Action: ["states:DescribeExecution", "states:StopExecution"],
                Resource: arns([...express]),
            });
    }
    return statements;
}
