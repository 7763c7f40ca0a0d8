/**
 * Upload bodies: a byte-counting stream that stops at the upload limit, and
 * the file of a request, whether sent raw (the file name in `?filename=` or
 * an `X-Filename` header) or as `multipart/form-data` (a `file` field).
 */
import { cleanName, percentDecoded } from "@/lib/text.ts";
import { AppError } from "@/lib/errors.ts";
import { overLimit } from "@/lib/data/errors.ts";

const mb = (n: number) =>
  n % 1_000_000 === 0 ? `${n / 1_000_000} MB` : `${n} bytes`;

/** The 413 of an upload over the byte limit, naming the limit and its setting. */
export function uploadTooLarge(
  limit: number,
  setting = "MAX_UPLOAD_BYTES",
): AppError {
  return overLimit(
    "file_too_large",
    `the file is larger than ${mb(limit)}; the limit (${setting}) is ${
      mb(limit)
    }`,
  );
}

/** Returns `stream` unchanged up to `limit` bytes; past that the stream fails with a 413. */
export function limitBytes(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  setting?: string,
): ReadableStream<Uint8Array> {
  let seen = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.length;
        if (seen > limit) throw uploadTooLarge(limit, setting);
        controller.enqueue(chunk);
      },
    }),
  );
}

/** A percent-encoded file name, decoded; a 400 naming the header when it is malformed. */
function decodedName(text: string, header: string): string {
  const name = percentDecoded(text);
  if (name === null) {
    throw new AppError(
      "invalid",
      "invalid_filename",
      `${header} is not valid percent-encoding (UTF-8)`,
    );
  }
  return name;
}

export interface UploadedFile {
  filename: string;
  body: ReadableStream<Uint8Array>;
  /** Other form fields (multipart) or query parameters (raw). */
  fields: Record<string, string>;
}

function filenameFromDisposition(value: string | null): string | null {
  if (!value) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(value);
  if (star) return decodedName(star[1], "Content-Disposition");
  return /filename="?([^";]+)"?/i.exec(value)?.[1] ?? null;
}

/**
 * Returns the uploaded file of a request, its body limited to `limit` bytes
 * (`setting` names the limit in the 413).
 */
export async function uploadedFile(
  request: Request,
  query: Record<string, string>,
  limit: number,
  setting?: string,
): Promise<UploadedFile> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const type = request.headers.get("content-type") ?? "";
  // Multipart framing adds a little to the file itself.
  const slack = type.startsWith("multipart/form-data") ? 64 * 1024 : 0;
  if (declared > limit + slack) throw uploadTooLarge(limit, setting);
  if (!request.body) {
    throw new AppError(
      "invalid",
      "no_file",
      "send the file as the request body",
    );
  }
  if (type.startsWith("multipart/form-data")) {
    const limited = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body: limitBytes(request.body, limit + slack, setting),
    });
    let form: FormData;
    try {
      form = await limited.formData();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        "invalid",
        "bad_multipart",
        "the multipart body could not be read",
      );
    }
    const file = form.get("file");
    if (!(file instanceof File)) {
      throw new AppError(
        "invalid",
        "no_file",
        'send the file in a form field named "file"',
      );
    }
    if (file.size > limit) throw uploadTooLarge(limit, setting);
    const fields: Record<string, string> = { ...query };
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") fields[key] = value;
    }
    return {
      filename: cleanName(fields.filename || file.name || "") || "upload",
      body: file.stream(),
      fields,
    };
  }
  const header = request.headers.get("x-filename");
  const filename = query.filename ||
    (header ? decodedName(header, "X-Filename") : null) ||
    filenameFromDisposition(request.headers.get("content-disposition")) ||
    "upload";
  return {
    filename: cleanName(filename) || "upload",
    body: limitBytes(request.body, limit, setting),
    fields: query,
  };
}
