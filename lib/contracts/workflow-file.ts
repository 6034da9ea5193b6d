import { z } from 'zod';
import { listQuery } from './list-query';
import { FIELD_TYPES } from './contacts';
import { WorkflowDefinition, WorkflowStatus } from './workflow';
import { Id, IsoDateTime } from './workflow-primitives';

// Workflows moved between servers (GET /workflows/export → POST /workflows/import). Ids are this
// server's own: the file says what each one was (a user's email, an app's key, a workflow's name)
// so the server importing it can find its own, and says so before saving what it cannot.

export const WORKFLOW_FILE_FORMAT = 'inbox-companion.workflows';

export const WorkflowFileReferences = z.object({
  users: z.record(z.string(), z.object({ name: z.string(), email: z.string() })).default({}),
  apps: z.record(z.string(), z.object({ key: z.string(), name: z.string() })).default({}),
  /** Workflows a Trigger another workflow step starts, in the file or not. */
  workflows: z.record(z.string(), z.object({ name: z.string() })).default({}),
  /** The custom fields the workflows use, as defined where they were exported. */
  fields: z.record(z.string(), z.object({ label: z.string(), type: z.enum(FIELD_TYPES), options: z.array(z.string()).default([]) })).default({}),
});
export type WorkflowFileReferences = z.infer<typeof WorkflowFileReferences>;

export const WorkflowFile = z.object({
  format: z.literal(WORKFLOW_FILE_FORMAT),
  version: z.literal(1),
  exportedAt: IsoDateTime,
  workflows: z.array(z.object({
    /** Its id where it was exported: how the file's workflows name each other. */
    id: Id,
    /** HTTP steps' credentials are `{{credential: <what>}}` placeholders here (lib/workflow/credential-placeholders.ts). */
    definition: WorkflowDefinition,
    /**
     * The webhook trigger refused unsigned deliveries where it was exported. The secret itself is
     * never in the file: the importing server makes a new one, which the sender then needs.
     */
    requireSignature: z.boolean().optional(),
  })),
  references: WorkflowFileReferences.default({ users: {}, apps: {}, workflows: {}, fields: {} }),
  /**
   * Each credential placeholder in the file, for the admin who exported it (what to have at hand
   * when importing). Informative: an import reads the placeholders themselves.
   */
  credentialsLeftOut: z.array(z.object({
    workflowId: Id, stepId: z.string(),
    /** Where in the definition: `steps.0.config.url`. */
    path: z.string(),
    /** The placeholder's name: `Authorization`, `Telegram bot token`. */
    what: z.string(),
  })).optional(),
});
export type WorkflowFile = z.infer<typeof WorkflowFile>;

/** GET /workflows/export: `ids` (comma-separated) picks workflows; without it, every one. */
export const WorkflowExportQuery = listQuery({
  ids: z.string().max(10_000).optional().describe('Comma-separated workflow ids; all workflows when left out'),
}, 'this route');

const Choices = z.record(z.string(), Id).default({});
/**
 * What a replaced workflow is afterwards: as it was (an edit of a published workflow is live at
 * once, and so is its newer version from a file: the senders of its webhook keep being answered),
 * or a draft for the admin to publish (n8n's "deactivate, then activate" by hand).
 */
export const REPLACE_AS = ['same-status', 'draft'] as const;
/**
 * POST /workflows/import. `file`: what GET /workflows/export gave, or one workflow's definition
 * (the files exported before). `choices`: for an id the file names that has no match here, the
 * one to use instead (by kind, file id → id here). `replace`: per workflow of the file, by its
 * place in `file.workflows` (0 for a lone definition), the workflow here it replaces instead of
 * making a new one; `replaceAs`: what each replaced one is afterwards. `dryRun`: only say what would be matched.
 */
export const WorkflowImportBody = z.object({
  file: z.unknown().describe('A workflow file (GET /workflows/export), or a single workflow definition'),
  choices: z.object({ users: Choices, apps: Choices, workflows: Choices }).partial().default({}),
  replace: z.record(z.string().regex(/^\d{1,4}$/, 'The workflow\'s place in file.workflows (0 for a single definition)'), Id).default({})
    .describe('Place of a workflow in file.workflows → id of the workflow here it replaces (keeping its id, webhook URL and runs)'),
  replaceAs: z.enum(REPLACE_AS).default('same-status')
    .describe('`same-status`: a published workflow replaced stays published with the file\'s version, live at once (it must pass the publish checks, as an edit of a published workflow does: else 422 naming `body.replace.<place>`); a draft stays a draft. `draft`: each one replaced becomes a draft, live again once published'),
  dryRun: z.boolean().default(false),
});
export type WorkflowImportBody = z.infer<typeof WorkflowImportBody>;

const Candidate = z.object({
  id: Id, name: z.string(),
  /** What tells two of the same name apart: a workflow's status, version and id. */
  detail: z.string().optional(),
});
/** One id the file names, and what it is here. */
export const ImportReference = z.object({
  kind: z.enum(['user', 'app', 'workflow']),
  /** The id in the file. */
  ref: z.string(),
  /** What the file says it was: `Ana López <ana@example.com>`, `Payments (payments)`, `Refund`. */
  label: z.string(),
  /** Its match here, null when there is none yet (choose one of `candidates`). */
  match: Candidate.nullable(),
  /** How it was matched: by email, key or name, the same id (the server it came from), a workflow of the same file, or chosen. */
  how: z.enum(['email', 'key', 'name', 'id', 'file', 'chosen']).nullable(),
  /** Why there is no match (null when matched): said so the admin knows what to do. */
  problem: z.string().nullable(),
  /** What may be chosen instead. */
  candidates: z.array(Candidate),
  /** The file's workflows naming it, and where. */
  usedBy: z.array(z.object({ workflow: z.string(), where: z.string(), path: z.string() })),
});
export type ImportReference = z.infer<typeof ImportReference>;

/** A workflow here that one of the file may replace: the one it was exported from (same id), else one of its name. */
export const ReplaceCandidate = Candidate.extend({
  status: WorkflowStatus,
  how: z.enum(['id', 'name']),
  /**
   * What replacing this one means and needs (it keeps this one's URL and signing secret), as the
   * request's `replaceAs` would do it: a published one staying published says so, and what stops
   * the file's version from going live (the import would be refused until it is fixed).
   */
  warnings: z.array(z.string()),
});
export type ReplaceCandidate = z.infer<typeof ReplaceCandidate>;

export const WorkflowImportResult = z.object({
  references: z.array(ImportReference),
  /**
   * Per workflow of the file: what it will need before publishing (fields not defined here, apps
   * not installed, credentials the file left out, a new signing secret for the sender), and the
   * name it gets here when a workflow of its name exists ("Refund (2)").
   */
  workflows: z.array(z.object({
    name: z.string(), importedAs: z.string().optional(), warnings: z.array(z.string()),
    /** Workflows here it may replace instead (`replace`); its warnings as a new one are `warnings`. Left out: none. */
    replaceable: z.array(ReplaceCandidate).optional(),
    /** The one it replaces, as the body chose. */
    replaces: Candidate.optional(),
  })),
  /** The drafts made (none on a dry run). */
  created: z.array(Candidate),
  /**
   * Workflows the file's version replaced (same id and URL; none on a dry run; left out: none).
   * `status`: as it is now (published: the file's version is live); `unpublished`: it was
   * published and is a draft now (`replaceAs: draft`): nothing starts it until it is published again.
   */
  replaced: z.array(Candidate.extend({ status: WorkflowStatus, unpublished: z.boolean() })).optional(),
});
export type WorkflowImportResult = z.infer<typeof WorkflowImportResult>;
