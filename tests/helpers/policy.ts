/**
 * Runs one policy of the pack the way the pack's server does, without starting it.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";

/** A resource as a policy sees it. */
export type Resource = { type: string; name: string; props: Record<string, unknown> };

/** Runs the policy `name` on `resource` with that policy's pack config; returns the reported messages. */
export function violations(name: string, resource: Resource, config: Record<string, unknown> = {}): string[] {
    const policy = policies.find((p) => p.name === name) as ResourceValidationPolicy;
    const messages: string[] = [];
    const args = { ...resource, urn: `urn:pulumi:test::p::${resource.type}::${resource.name}`, getConfig: () => config } as unknown as ResourceValidationArgs;
    (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, (m) => messages.push(m));
    return messages;
}
