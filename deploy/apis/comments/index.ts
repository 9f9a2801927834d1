/**
 * JSONPlaceholder, the public demo API of the walkthrough's comments lookup. It ignores credentials,
 * but every HTTP Task needs a connection (docs/aws-facts.md §1.5), so any auth type will do (`none`
 * needs no secret).
 */
import { AUTH_TYPES } from "../../stack-config/types";
import type { ApiSpec } from "../spec";

/** The demo API's public base URL. */
export const COMMENTS_API_BASE_URL = "https://jsonplaceholder.typicode.com";

/** The `comments` API. */
export const commentsApi = {
    name: "comments",
    description: "JSONPlaceholder, a public demo API",
    authTypes: AUTH_TYPES,
    defaultBaseUrl: COMMENTS_API_BASE_URL,
    contract: "https://jsonplaceholder.typicode.com/guide/",
} as const satisfies ApiSpec;
