/**
 * What the program knows of one third-party API: its config key, the auth types its connection may
 * use, a default base URL, and its contract. Each API's folder (`deploy/apis/<api>/index.ts`) exports
 * one; `deploy/apis/index.ts` is the registry config validation, the catalogue and the sandbox read.
 */
import type { ApiSettings, AuthType } from "../stack-config/types";

/** One sentence per problem, naming the key and the fix (as `deploy/stack-config/api-rules.ts` writes them). */
export type ApiProblems = string[];

/** One API of the registry. */
export interface ApiSpec {
    /** The API's name: its top-level config key and the name of its connection. */
    readonly name: string;
    /** What it is, for the generated config reference. */
    readonly description: string;
    /** The auth types `<name>.auth.type` may take. */
    readonly authTypes: readonly AuthType[];
    /**
     * The API's own rule on its validated settings, run instead of the generic `authTypes` check
     * (Stripe's: an `apiKey` connection with header `Authorization`). @default the generic check
     */
    readonly authRule?: (settings: ApiSettings, problems: ApiProblems) => void;
    /** Keys of its config object besides the common ones (payment's `provider`). @default none */
    readonly extraKeys?: readonly string[];
    /** The base URL used when config leaves `<name>.baseUrl` out (a public demo API). @default none: required */
    readonly defaultBaseUrl?: string;
    /** Its contract: the repository path of the OpenAPI document we keep, or the provider's API reference URL. */
    readonly contract: string;
}
