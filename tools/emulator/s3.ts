/**
 * S3 for local runs: `arn:aws:states:::aws-sdk:s3:putObject` writes `<root>/<bucket>/<key>` on
 * disk, and a Distributed Map's `ItemReader` (`s3:getObject`, JSON) reads from the same folder, so
 * a local collection leaves exactly the objects a deployed one would, where you can look at them.
 * Only buckets created here exist; keys are checked as S3 would (and so they cannot leave the folder).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { S3_BUCKET_NAME } from "../../deploy/asl/data-tasks";
import { isObject } from "../../deploy/asl/json";
import { TaskError } from "./errors";

/** S3's key length limit, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/**
 * Writes `file`, creating its folder only when the write finds it missing: a collection writes
 * thousands of pages into a few folders, and a `mkdir` before each write cost as much as the write.
 */
function writeFile(file: string, body: string): void {
    try {
        fs.writeFileSync(file, body);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, body);
    }
}

/** One stored object, for summaries and tests. */
export interface StoredObject {
    readonly bucket: string;
    readonly key: string;
    readonly bytes: number;
}

/** A folder standing in for S3. */
export class LocalObjectStore {
    /** Objects written by `putObject`, in order. */
    readonly written: StoredObject[] = [];
    private readonly buckets = new Set<string>();

    constructor(readonly root: string) {}

    /** The buckets created here. */
    get bucketNames(): string[] {
        return [...this.buckets];
    }

    /** Creates (or keeps) `bucket` as an empty folder. */
    createBucket(bucket: string): void {
        if (!S3_BUCKET_NAME.test(bucket)) throw new Error(`\`${bucket}\` is not a bucket name.`);
        fs.mkdirSync(path.join(this.root, bucket), { recursive: true });
        this.buckets.add(bucket);
    }

    /** True when `bucket` holds `key`. */
    has(bucket: string, key: string): boolean {
        return fs.existsSync(this.fileOf(bucket, key));
    }

    /** Writes an object directly (seeding an item list). */
    write(bucket: string, key: string, body: string): void {
        writeFile(this.fileOf(bucket, key), body);
    }

    private fileOf(bucket: string, key: unknown): string {
        if (typeof bucket !== "string" || !this.buckets.has(bucket))
            throw new TaskError("S3.NoSuchBucketException", `The specified bucket does not exist: ${String(bucket)}`);
        const problem =
            typeof key !== "string" || key === ""
                ? "Key must be a non-empty string"
                : Buffer.byteLength(key) > MAX_KEY_BYTES
                  ? "Your key is too long"
                  : key.split("/").some((part) => part === "" || part === "." || part === "..") || key.includes("\\") || key.includes("\0")
                    ? `The local store refuses key ${JSON.stringify(key)} (empty, \`.\` or \`..\` segments)`
                    : undefined;
        if (problem) throw new TaskError("S3.S3Exception", problem);
        return path.join(this.root, bucket, ...(key as string).split("/"));
    }

    /** Emulates `s3:putObject` with the resolved `Parameters` (`Bucket`, `Key`, string `Body`). */
    putObject(params: unknown): { ETag: string } {
        const p = isObject(params) ? params : {};
        const file = this.fileOf(p.Bucket as string, p.Key);
        if (typeof p.Body !== "string")
            throw new TaskError("S3.S3Exception", "The local store takes a string Body (the definition serialises with States.JsonToString).");
        writeFile(file, p.Body);
        this.written.push({ bucket: p.Bucket as string, key: p.Key as string, bytes: Buffer.byteLength(p.Body) });
        return { ETag: `"${createHash("md5").update(p.Body).digest("hex")}"` };
    }

    /** Reads a JSON array for an `ItemReader`; anything else is `States.ItemReaderFailed`. */
    readItems(bucket: string, key: string): unknown[] {
        let text: string;
        try {
            text = fs.readFileSync(this.fileOf(bucket, key), "utf8");
        } catch (e) {
            throw new TaskError("States.ItemReaderFailed", `Cannot read s3://${bucket}/${key}: ${(e as Error).message}`);
        }
        let items: unknown;
        try {
            items = JSON.parse(text);
        } catch {
            throw new TaskError("States.ItemReaderFailed", `s3://${bucket}/${key} is not JSON.`);
        }
        if (!Array.isArray(items)) throw new TaskError("States.ItemReaderFailed", `s3://${bucket}/${key} is not a JSON array.`);
        return items;
    }
}
