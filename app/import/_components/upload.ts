/** POSTs a file to /api/import with XHR so the page can show upload progress (fetch can't report it). */
export interface UploadOptions {
  format: string;
  source?: string;
  timezone?: string;
  skipInvalid?: boolean;
  overwriteCurated?: boolean;
  preview?: boolean;
  mapping?: unknown;
  preset?: string;
  /** A historical import: mark the new incidents as already analysed, and optionally triage them. */
  analysed?: boolean;
  trigger?: "other" | "unknown";
}

export interface UploadResponse {
  status: number;
  body: Record<string, unknown>;
}

export function uploadImport(file: File, opts: UploadOptions, onProgress: (fraction: number) => void): Promise<UploadResponse> {
  const q = new URLSearchParams({ format: opts.format, fileName: file.name });
  if (opts.source) q.set("source", opts.source);
  if (opts.timezone) q.set("timezone", opts.timezone);
  if (opts.skipInvalid) q.set("skipInvalid", "1");
  if (opts.overwriteCurated) q.set("overwriteCurated", "1");
  if (opts.preview) q.set("preview", "1");
  if (opts.analysed) q.set("analysed", "1");
  if (opts.trigger) q.set("trigger", opts.trigger);
  if (opts.mapping) q.set("mapping", JSON.stringify(opts.mapping));
  else if (opts.preset) q.set("preset", opts.preset);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/import?${q.toString()}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      onProgress(1);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(xhr.responseText) as Record<string, unknown>;
      } catch {
        body = { message: `The server answered ${xhr.status} without JSON.` };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("The upload failed (network error)."));
    xhr.onabort = () => reject(new Error("The upload was cancelled."));
    xhr.send(file);
  });
}
