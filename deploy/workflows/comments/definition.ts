/**
 * The HTTP Task from the original walkthrough: list the comments of a post from JSONPlaceholder,
 * through a Basic-auth connection (the API ignores the credentials; the connection is mandatory
 * for every HTTP Task, docs/aws-facts.md §1.5).
 */
import { ApiTarget, httpTask } from "../../asl/http-task";
import { path } from "../../asl/payload";
import { StateMachineDefinition } from "../../asl/types";

export { COMMENTS_API_BASE_URL } from "../../apis/comments";

/** A sample input for the comments workflow. */
export const sampleCommentsInput = { postId: 1 } as const;

/** Builds the comments lookup: `GET <base>/comments?postId=<$.postId>`. */
export function commentsDefinition(api: ApiTarget): StateMachineDefinition {
    return {
        Comment: "Lists the comments of one post: GET /comments?postId=<postId>.",
        StartAt: "ValidateInput",
        States: {
            ValidateInput: {
                Type: "Choice",
                Choices: [{ Variable: "$.postId", IsPresent: true, Next: "GetComments" }],
                Default: "InvalidInput",
            },
            GetComments: httpTask({
                api,
                path: "/comments",
                method: "GET",
                queryParameters: { postId: path("$.postId") },
                resultSelector: { comments: path("$.ResponseBody") },
                transition: { End: true },
            }),
            InvalidInput: { Type: "Fail", Error: "InvalidInput", Cause: "The input needs a `postId`." },
        },
    };
}
