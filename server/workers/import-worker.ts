/** The import worker thread (see import-client.ts). */
import "server-only";
import { runImportJob } from "./import-job";
import { serveJobs } from "./serve";

serveJobs(runImportJob);
