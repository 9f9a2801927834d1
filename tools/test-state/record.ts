/**
 * The tested Task's call, seen from inside: the resolved `Parameters` it was called with, its raw
 * result, and for HTTP Tasks the whole HTTP answer (also of a non-2xx status) for TRACE. A mock
 * replaces the call here, after `Parameters` were resolved, as TestState's mock does.
 */
import { TaskError } from "../emulator/errors";
import { HttpCall, HttpEmulatorOptions, HttpTaskEmulator } from "../emulator/http-invoke";
import { LocalObjectStore } from "../emulator/s3";
import { Outbox } from "../emulator/sns";
import { HttpResult } from "../emulator/transport";
import { Mock } from "./options";

const STATUS_ERROR = "States.Http.StatusCode.";

/** What the tested Task was called with and what it returned. */
export class TaskRecorder {
    /** The effective input (after `InputPath` and `Parameters`); undefined when the task was never reached. */
    afterParameters?: unknown;
    result?: unknown;
    httpResult?: HttpResult;

    constructor(private mock?: Mock) {}

    /** Replaces the mock (a mocked Map over its tolerance answers with the threshold error instead). */
    useMock(mock: Mock | undefined): void {
        this.mock = mock;
    }

    /** Records the call; returns the mocked result, or throws the mocked error, or returns undefined to call for real. */
    begin(params: unknown): { readonly result: unknown } | undefined {
        this.afterParameters = params;
        if (this.mock && "error" in this.mock) throw new TaskError(this.mock.error, this.mock.cause ?? "");
        if (this.mock) this.result = this.mock.result;
        return this.mock;
    }
}

/** The HTTP Task emulator, recording into `recorder`. */
export class RecordingEmulator extends HttpTaskEmulator {
    constructor(
        options: HttpEmulatorOptions,
        private readonly recorder: TaskRecorder,
    ) {
        // The whole result as the cause of a status error is how its answer reaches TRACE; the
        // cause is turned back into the status text below, the emulator's default (§5.2).
        super({ ...options, statusCause: "result" });
    }

    override async invoke(params: unknown, onCall?: (call: HttpCall) => void): Promise<HttpResult> {
        const mocked = this.recorder.begin(params);
        if (mocked) return mocked.result as HttpResult;
        try {
            const result = await super.invoke(params, onCall);
            this.recorder.result = this.recorder.httpResult = result;
            return result;
        } catch (e) {
            if (!(e instanceof TaskError && e.name.startsWith(STATUS_ERROR))) throw e;
            try {
                this.recorder.httpResult = JSON.parse(e.message) as HttpResult;
            } catch {
                throw e;
            }
            throw new TaskError(e.name, this.recorder.httpResult.StatusText);
        }
    }
}

/** The SNS outbox, recording into `recorder`. */
export class RecordingOutbox extends Outbox {
    constructor(private readonly recorder: TaskRecorder) {
        super();
    }

    override publish(stateName: string, params: unknown): ReturnType<Outbox["publish"]> {
        const mocked = this.recorder.begin(params);
        if (mocked) return mocked.result as ReturnType<Outbox["publish"]>;
        const result = super.publish(stateName, params);
        this.recorder.result = result;
        return result;
    }

    override putEvents(stateName: string, params: unknown): ReturnType<Outbox["putEvents"]> {
        const mocked = this.recorder.begin(params);
        if (mocked) return mocked.result as ReturnType<Outbox["putEvents"]>;
        const result = super.putEvents(stateName, params);
        this.recorder.result = result;
        return result;
    }
}

/** The local object store (same folder and buckets as `store`), recording into `recorder`. */
export class RecordingStore extends LocalObjectStore {
    constructor(
        store: LocalObjectStore,
        private readonly recorder: TaskRecorder,
    ) {
        super(store.root);
        for (const bucket of store.bucketNames) this.createBucket(bucket);
    }

    override putObject(params: unknown): ReturnType<LocalObjectStore["putObject"]> {
        const mocked = this.recorder.begin(params);
        if (mocked) return mocked.result as ReturnType<LocalObjectStore["putObject"]>;
        const result = super.putObject(params);
        this.recorder.result = result;
        return result;
    }
}
