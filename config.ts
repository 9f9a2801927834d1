/**
 * Reads the stack's configuration once, validates it, and returns a frozen typed object.
 *
 * Plain settings come from plain keys; every credential comes from the single `secrets` key via
 * `requireSecretObject`, so it is a Pulumi secret from the moment it is read.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiName, ApiSecrets, PROJECT, StackSettings } from "./stack-config/types";
import { CONFIG_KEYS, RawConfig, secretPathsOf, validateStackConfig } from "./stack-config/validate";

export { ConfigError } from "./stack-config/validate";

/** The program's configuration: validated plain settings plus secret outputs per API. */
export interface ProgramConfig {
    readonly settings: StackSettings;
    /** Secrets of each configured API, as Pulumi secret outputs. */
    readonly secrets: Readonly<Partial<Record<ApiName, pulumi.Output<ApiSecrets>>>>;
}

/**
 * Loads and validates the current stack's config. Throws `ConfigError` (one line per problem)
 * before the caller declares any resource.
 */
export function loadConfig(config: pulumi.Config = new pulumi.Config(PROJECT)): ProgramConfig {
    const raw: RawConfig = {};
    for (const key of CONFIG_KEYS) {
        if (key !== "secrets") raw[key] = config.get(key);
    }
    // Config must fail before any resource exists, and Pulumi has no synchronous secret read:
    // so only the *paths* set under `secrets` are taken here (values dropped at once); the values
    // themselves flow through `requireSecretObject` below and never leave a secret Output.
    const secretPaths = secretPathsOf(config.getObject<unknown>("secrets"));
    const settings = validateStackConfig(raw, secretPaths);

    const secrets: Partial<Record<ApiName, pulumi.Output<ApiSecrets>>> = {};
    if (secretPaths.size > 0) {
        const all = config.requireSecretObject<Record<string, ApiSecrets>>("secrets");
        for (const api of [...Object.keys(settings.apis), ...(settings.comments ? ["comments"] : [])] as ApiName[]) {
            secrets[api] = all.apply((s) => s[api] ?? {});
        }
    }
    return Object.freeze({ settings, secrets: Object.freeze(secrets) });
}
