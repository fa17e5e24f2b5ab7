import { tenantTable } from '../../../platform/db/tenant-table.js';
/**
 * Events: type, times and a track event's name stay clear for counting (`name` is null for other
 * types: a page's or screen's name is a title, sealed — see clearNameOf); everything else the
 * sender said (properties, traits, URL, referrer, context) is one AES-256-GCM payload under the subject key of
 * the person it was recorded for (`subject_id`; after a merge, `person_id` moves and the key
 * follows the person, see people.person_subjects). `message_hash` = SHA-256 of the sender's
 * messageId / uuid: a retried delivery is stored once.
 */
export const eventsSchema = {
    id: 'tracking/0001_events',
    sql: `
    CREATE TABLE events (
      team_id uuid NOT NULL,
      id uuid NOT NULL,
      person_id uuid NOT NULL,
      subject_id uuid NOT NULL,
      type text NOT NULL CHECK (type IN ('track', 'page', 'screen', 'identify', 'group', 'alias')),
      name text,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      message_hash bytea NOT NULL,
      payload_sealed bytea NOT NULL,
      PRIMARY KEY (team_id, id),
      FOREIGN KEY (team_id, person_id) REFERENCES people (team_id, id) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX events_message ON events (team_id, message_hash);
    CREATE INDEX events_person_time ON events (team_id, person_id, occurred_at DESC, id DESC);
    CREATE INDEX events_team_time ON events (team_id, occurred_at);
    ${tenantTable('events')}
  `,
};
//# sourceMappingURL=0001_events.js.map