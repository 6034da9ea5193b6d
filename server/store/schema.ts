

// Portable column conventions: ids and timestamps are text (ISO-8601 UTC, so they sort),
// booleans are integers 0/1, JSON is text. The same rows on SQLite and PostgreSQL.
type Json = string;
type Bool = number;

/** `kind`: human | bot (migration 030; optional so rows written without it take the default). */
export interface UsersTable {
  id: string; name: string; email: string; role: string; shortcuts_enabled: Bool; created_at: string; kind?: string;
  /** Set once deactivated (migration 070); null while active. */
  deactivated_at?: string | null;
}
export interface TokensTable { id: string; hash: string; kind: string; user_id: string | null; installation_id: string | null; scopes: Json; label: string; created_at: string; revoked_at: string | null; expires_at?: string | null }
export interface InboxSignInCodesTable { hash: string; user_id: string; expires_at: string; used_at: string | null; created_at: string }
export interface SettingsTable { key: string; value: Json; updated_at: string }
export interface ContactsTable { id: string; first_name: string; last_name: string; phone: string | null; email: string | null; tags: Json; fields: Json; created_at: string; updated_at: string; lifecycle?: string | null }
/** An Ask a Question step waiting for a reply on a conversation (migration 032). */
export interface QuestionWaitsTable {
  run_id: string; step_id: string; conversation_id: string; attempts: number; expires_at: string;
  answer: string | null; answer_message_id: string | null; created_at: string;
  /** 1: the ask under this row was put off (the channel did not take it for now); no reply is taken. */
  unsent?: number;
  /** When the question was last put to the customer (a typed reply goes to the latest; migration 079). */
  asked_at?: string | null;
  /** Notes, one a line: customer messages that went to another question (migration 079). */
  passed_over?: string | null;
}
export interface FieldDefinitionsTable { key: string; label: string; type: string; options: Json; created_at: string }
export interface ConversationsTable {
  id: string; contact_id: string; status: string; opened_by_source: string; closed_by_source: string | null;
  close_reason: string | null; category: string | null; summary: string | null; assignee_id: string | null;
  opened_at: string; closed_at: string | null; first_incoming_message: string | null; first_response_at: string | null;
  /** The connection that carries it (null: the built-in inbox) and its id there. */
  connection_id?: string | null; external_id?: string | null;
  /** created_at of its latest message, kept by a trigger on messages (migration 068); null: none yet. */
  last_message_at?: string | null;
  /** Its latest message's id (by created_at, then id), kept by the same trigger (migration 073): the list's preview. */
  last_message_id?: string | null;
  /** The ad the customer came from, JSON (lib/contracts/ad-referral.ts; migration 080). */
  ad_referral?: Json | null;
  /**
   * A Chatwoot conversation's inbox there (its id and name) and, for any conversation on a
   * connection, its channel in one word (whatsapp, web, email…; migration 081). Null channel without
   * a connection: the built-in inbox.
   */
  inbox_external_id?: string | null; inbox_name?: string | null; channel_type?: string | null;
  /** Chatwoot's `snoozed` or `pending` while it is open here: not counted as its agent's open work (migration 106). */
  held_status?: string | null;
}
export interface MessagesTable {
  id: string; conversation_id: string; direction: string; kind: string; author_type: string; author_id: string | null; text: string; created_at: string;
  /** A workflow's message: the workflow's name when the run wrote it (migration 069). */
  author_name?: string | null;
  /** Set when the message went through or came from a connection: its id there and delivery state. */
  connection_id?: string | null; external_id?: string | null; delivery_status?: string | null; delivery_error?: string | null;
  /** Outgoing sends through a channel: the attempt's idempotency key (written before the call), media sent or received (JSON). */
  send_key?: string | null; attachments?: Json | null; delivery_updated_at?: string | null;
  /** Inbound through a channel: when the customer sent it, by Meta's clock (created_at: when it arrived; migration 077). */
  sent_at?: string | null;
  /** Where it sits in its thread when not at created_at (a late customer message, a Resend; migration 095). */
  thread_at?: string | null;
  /** The customer edited it: when, how often, and what it said before (JSON MessageEdits; migration 100). */
  edits?: string | null;
  /** What the customer sent beyond its text (a flow's answer, a contact card, an order), JSON (lib/contracts/message-data.ts). */
  data?: Json | null;
}
export interface EventsTable {
  id: string; type: string; source: string; contact_id: string | null; payload: Json; idempotency_key: string | null; depth: number; note: string | null; created_at: string;
  /** With an idempotency key: the ids of the runs it started (JSON array), the answer to a repeat. */
  run_ids: Json | null;
  /** With an idempotency key: SHA-256 (hex) of the body that first used it; a reuse with another body is refused. */
  request_hash?: string | null;
}

export interface WorkflowsTable {
  id: string; name: string; status: string; trigger_type: string; definition: Json; version: number;
  /** Sealed (vault) URL token, to show the URL again; deliveries find the workflow by `webhook_token_hash`. */
  webhook_token: string | null; webhook_token_hash?: string | null;
  /** The webhook trigger's signing secret, sealed; the stored definition holds none. */
  webhook_signing_secret?: string | null; created_at: string; updated_at: string; published_at: string | null;
}
export interface WorkflowVersionsTable { workflow_id: string; version: number; definition: Json; created_at: string }
/** PostgreSQL: an instance executing runs, and when (database clock, ms) it last said so (engine/executor/peers.ts). */
export interface EnginePeersTable { id: string; seen_ms: number | string }
/** One row per (published workflow, trigger key): dispatch looks events up here by index. */
export interface TriggerIndexTable { workflow_id: string; trigger_type: string; trigger_key: string }
export interface RunsTable {
  id: string; workflow_id: string; workflow_version: number; contact_id: string; conversation_id: string | null;
  event_id: string; event_type: string; variables: Json; status: string; cursor: number; step_log: Json;
  wake_at: string | null; attempts: number; jumps: number; depth: number; lease_owner: string | null; lease_until: string | null;
  error: string | null; created_at: string; updated_at: string; ended_at: string | null;
  /** 1 while queued behind an unfinished run of the same workflow and contact (claims skip it). */
  blocked: number;
  /** The user who launched a shortcut run (its trigger's launchedBy, 085); absent or null for other triggers. */
  launched_by?: string | null;
  /** A rerun's failed run and the user who ran it again (087); absent or null on every other run. */
  rerun_of?: string | null; rerun_by?: string | null;
  /** A rerun from the failed step: the cursor it started at (091); absent or null on a run from the first step. */
  rerun_from?: number | null;
}
export interface EnrollmentsTable { workflow_id: string; contact_id: string; created_at: string }
/** Outside effects already done, keyed by run id + step id, so a resumed step is not repeated. */
export interface StepEffectsTable { key: string; result: Json; created_at: string }
/** An Assign to step's round robin: who had the last turn (migration 105). */
export interface AssignRotationsTable { workflow_id: string; step_id: string; last_user_id: string | null; turn_user_ids: string | null; updated_at: string }
/** A least-open or round-robin pick not yet written as the conversation's assignee (migration 106). */
export interface AssignPendingTable { key: string; run_id: string; user_id: string; conversation_id: string | null; created_at: string }

export interface AdsTable {
  ad_id: string; ad_account_id: string; name: string; channel: string; status: string; objective: string; optimization_goal: string; destination_type: string; created_at: string;
  /** `manual`, or the id of the linked ad account connection that synced it. */
  source?: string; created_in_instagram?: number; synced_at?: string | null;
}
export interface AppsTable {
  id: string; key: string; manifest: Json; signing_secret: string; created_at: string;
  /** The secret before the last rotation (sealed), signing next to the new one until the expiry (074). */
  previous_signing_secret?: string | null; previous_signing_secret_expires_at?: string | null;
}
export interface InstallationsTable {
  id: string; app_id: string; auth_values: Json;
  /** The key the app's server was last sent and did not refuse; keys it replaced may still work until their expires_at. */
  token_id: string; created_at: string;
  /** Held while a new key's subscribe request is in flight (076). */
  key_rotating_until?: string | null;
}
/** Outbound deliveries retried in the background (e.g. unsubscribe requests). */
export interface OutboxTable { id: string; kind: string; url: string; headers: Json; body: string; attempts: number; next_attempt_at: string; last_error: string | null; created_at: string; delivered_at: string | null }

/** An outside system: a WhatsApp number, a Facebook Page, a Chatwoot account. `secrets` is sealed by the vault. */
export interface ConnectionsTable {
  id: string; kind: string; name: string; config: Json; secrets: string; status: string;
  last_synced_at: string | null; last_error: string | null; created_at: string; updated_at: string;
}

/** Inbound Meta webhook items already handled (wamid, mid, postback, referral keys). */
export interface MetaDeliveriesTable { key: string; created_at: string }

/** A status webhook that arrived before its message's Meta id was stored. */
export interface EarlyDeliveryStatusesTable { external_id: string; status: string; error: string | null; created_at: string }
/** An agent's reply through a channel, for tries later and Resend (migration 078; `spec`: JSON SendSpec). */
/** A workflow message's fallback template, sent if WhatsApp refuses the message later (migration 097; `spec`: JSON SendSpec). */
/** `tries`: the fallback's sends so far (migration 099). */
export interface LateFallbacksTable { send_key: string; conversation_id: string; spec: string; due_at: string | null; created_at: string; tries: number }
/** A customer's reaction or edit (`edit`, JSON; null for a reaction) that arrived before its message (migrations 098, 101): shown once the message is stored. */
export interface EarlyReactionsTable { dedupe_key: string; connection_id: string; target_id: string; emoji: string | null; edit: string | null; sender?: string | null; created_at: string }
export interface ReplySendsTable { send_key: string; conversation_id: string; spec: string; tries: number; next_attempt_at: string | null; resend_key: string | null; created_at: string }

/** When a user last looked at a conversation (migration 094): the list counts the customer's messages after it. */
export interface ConversationReadsTable { conversation_id: string; user_id: string; seen_at: string }
export interface ChannelIdentitiesTable { channel: string; external_id: string; contact_id: string; created_at: string }

/** Chatwoot webhook deliveries already handled, per connection. */
export interface ChatwootDeliveriesTable { connection_id: string; delivery_key: string; event: string; created_at: string }
/** The last Chatwoot state applied per object (`kind` contact | conversation) and its Chatwoot `updated_at`. */
export interface ChatwootObjectsTable { connection_id: string; kind: string; external_id: string; companion_id: string | null; version: number; state: Json; updated_at: string }

export interface DB {
  chatwoot_deliveries: ChatwootDeliveriesTable;
  chatwoot_objects: ChatwootObjectsTable;
  channel_identities: ChannelIdentitiesTable;
  meta_deliveries: MetaDeliveriesTable;
  early_delivery_statuses: EarlyDeliveryStatusesTable;
  reply_sends: ReplySendsTable;
  late_fallbacks: LateFallbacksTable;
  early_reactions: EarlyReactionsTable;
  conversation_reads: ConversationReadsTable;
  connections: ConnectionsTable;
  question_waits: QuestionWaitsTable;
  users: UsersTable; tokens: TokensTable; inbox_sign_in_codes: InboxSignInCodesTable; settings: SettingsTable; contacts: ContactsTable; field_definitions: FieldDefinitionsTable;
  conversations: ConversationsTable; messages: MessagesTable; events: EventsTable;
  workflows: WorkflowsTable; workflow_versions: WorkflowVersionsTable; trigger_index: TriggerIndexTable; runs: RunsTable;
  enrollments: EnrollmentsTable; step_effects: StepEffectsTable; engine_peers: EnginePeersTable;
  assign_rotations: AssignRotationsTable; assign_pending: AssignPendingTable;
  ads: AdsTable; apps: AppsTable; installations: InstallationsTable; outbox: OutboxTable;
}
