/**
 * Runs the Pulumi program (`deploy/index.ts`) under recording mocks with a stack file's config, and
 * returns what it declared: every resource, the stack outputs, and per workflow the definition
 * and the merged permission policy of its role.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { IamStatement } from "../../deploy/asl/policy";
import { StateMachineDefinition } from "../../deploy/asl/types";
import { StackFile } from "../stack-file";
import { PROJECT } from "../../deploy/stack-config/types";
import { RecordedResource, RecordingMocks, revealSecrets } from "./mocks";

/** One synthesized workflow. */
export interface SynthWorkflow {
    /** `order`, `comments`: the state machine's name without `<project>-<stack>-`. */
    readonly name: string;
    readonly stateMachineName: string;
    readonly definition: StateMachineDefinition;
    readonly policy: { readonly Version: string; readonly Statement: readonly IamStatement[] };
}

/** Everything a synth run produced. */
export interface SynthResult {
    readonly resources: readonly RecordedResource[];
    readonly outputs: Record<string, unknown>;
    readonly workflows: readonly SynthWorkflow[];
}

/** The key whose value is the whole `secrets` object (secret in every stack). */
export const SECRETS_KEY = `${PROJECT}:secrets`;

/** Resolves an output (or a structure holding outputs) to its value. */
export function resolve<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
    return new Promise((done) => pulumi.output(value).apply(done));
}

/** Drains Pulumi's pending registrations (declared but not yet answered by the mocks). */
export async function waitForRegistrations(): Promise<void> {
    // `waitForRPCs` is internal to @pulumi/pulumi (not in its typings), hence the require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}

function workflowsOf(resources: readonly RecordedResource[], stack: string): SynthWorkflow[] {
    const prefix = `${PROJECT}-${stack}-`;
    return resources
        .filter((r) => r.type === "aws:sfn/stateMachine:StateMachine")
        .map((machine) => {
            const stateMachineName = String(machine.inputs.name);
            const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === machine.inputs.roleArn);
            const statements = resources
                .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && role !== undefined && r.inputs.role === role.id)
                .flatMap((r) => (JSON.parse(String(revealSecrets(r.inputs.policy))) as { Statement: IamStatement[] }).Statement);
            return {
                name: stateMachineName.startsWith(prefix) ? stateMachineName.slice(prefix.length) : stateMachineName,
                stateMachineName,
                definition: JSON.parse(String(revealSecrets(machine.inputs.definition))) as StateMachineDefinition,
                policy: { Version: "2012-10-17", Statement: statements },
            };
        });
}

/**
 * Runs `programPath` (default: the repository's `deploy/index.ts`) for `stackFile`. The module is loaded
 * afresh each time, so one process can synthesize several stacks in turn.
 */
export async function synthesize(
    stackFile: StackFile,
    mocks: RecordingMocks,
    programPath = path.join(__dirname, "..", "..", "deploy", "index.ts"),
): Promise<SynthResult> {
    mocks.reset(stackFile.region);
    pulumi.runtime.setAllConfig(stackFile.pulumiConfig, [SECRETS_KEY]);
    await pulumi.runtime.setMocks(mocks, PROJECT, stackFile.stack, false);
    delete require.cache[require.resolve(programPath)];
    // A fresh evaluation of the program per stack: a dynamic require, after clearing the cache.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(programPath) as Record<string, unknown>;
    const outputs = (await resolve(program)) as Record<string, unknown>;
    await waitForRegistrations();
    return { resources: [...mocks.resources], outputs, workflows: workflowsOf(mocks.resources, stackFile.stack) };
}
