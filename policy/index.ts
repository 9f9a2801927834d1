/**
 * Entry point the Pulumi CLI runs for `pulumi preview --policy-pack policy`: serves the policies of
 * `./policies` (tests import that module directly, so nothing here runs under mocha).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
    description:
        "Guardrails for sfn-http-workflows: scoped HTTP Task, credential and data permissions, state machine logging and tracing, secret connection parameters, log retention.",
    enforcementLevel: "mandatory",
    policies,
});
