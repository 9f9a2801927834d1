/**
 * The single `setMocks` of the test suite, loaded by `.mocharc.json` before any test module so
 * that mocks exist before `@pulumi/aws` or a component is imported.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks } from "../../tools/synth/mocks";
import { PROJECT } from "../../deploy/stack-config/types";

/** The recording mocks every Pulumi test shares. */
export const mocks = new RecordingMocks("us-east-1");

/**
 * Points the mocks at a stack: forgets recorded resources and replaces the whole stack config.
 * `secretKeys` are full keys (`sfn-http-workflows:secrets`) that Pulumi treats as secret.
 */
export function useStack(stack: string, region: string, config: Record<string, string> = {}, secretKeys: string[] = []): void {
    mocks.reset(region);
    pulumi.runtime.setAllConfig({ "aws:region": region, ...config }, secretKeys);
    pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
}

useStack("test", "us-east-1");
