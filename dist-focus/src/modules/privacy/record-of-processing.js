import { withTeam } from '../../platform/db/with-team.js';
import { getTeam, listApiKeys } from '../accounts/index.js';
import { PeopleService } from '../people/index.js';
import { eventTotals, guardSettings } from '../tracking/index.js';
import { consentPurposes } from './consents.js';
import { privacySettings } from './privacy-settings.js';
const EVENT_LABEL = {
    page: 'Pages viewed on the team’s websites (URL, referrer, title)',
    track: 'Custom events and their properties',
    identify: 'Identification events and traits',
    screen: 'App screens viewed',
    group: 'Group (company/account) membership events',
    alias: 'Identity aliasing events',
};
export async function recordOfProcessing(ctx, teamId) {
    const people = new PeopleService(ctx.keyring);
    return withTeam(ctx.engine, teamId, async (tx) => {
        const team = await getTeam(tx, teamId);
        const counts = await people.categoryCounts(tx, teamId);
        const events = await eventTotals(tx, teamId);
        const keys = (await listApiKeys(tx, teamId)).filter((k) => !k.revokedAt);
        const guard = await guardSettings(tx, teamId);
        const settings = await privacySettings(tx, teamId);
        const purposes = await consentPurposes(tx, teamId);
        const writeKeys = keys.filter((k) => k.kind === 'write').length;
        const identity = (kind, category, description) => ({ category, description, records: counts.identities[kind] ?? 0 });
        const dataCategories = [
            { category: 'Names', description: 'Full names', records: counts.names },
            { category: 'Company', description: 'Company or organisation of the person', records: counts.companies },
            identity('email', 'Email addresses', 'Contact email addresses'),
            identity('phone', 'Phone numbers', 'Contact phone numbers (E.164)'),
            identity('external_id', 'Customer identifiers', 'Identifiers from the team’s own systems'),
            identity('anonymous_id', 'Online identifiers', 'First-party anonymous visitor ids (cookie/local storage)'),
            { category: 'Custom properties', description: 'Free-form properties set by the team or its integrations', records: counts.properties },
            { category: 'Notes', description: 'Notes written by team members', records: counts.notes },
            ...events.map((e) => ({ category: `Activity: ${e.type}`, description: `${EVENT_LABEL[e.type] ?? e.type}, with the context its sender gave (user agent, locale, campaign)`, records: e.events })),
            { category: 'Consent records', description: 'Purpose, lawful basis, source and time of consents', records: purposes.reduce((a, p) => a + p.active + p.withdrawn, 0) },
        ].filter((c) => c.records > 0);
        const analytics = events.length > 0 || writeKeys > 0;
        return {
            generatedAt: new Date().toISOString(),
            teamId,
            controller: team.name,
            dataSubjects: { description: 'Contacts, website visitors and customers of the team', count: counts.people },
            dataCategories,
            purposes: [
                ...purposes.map((p) => ({ purpose: p.purpose, lawfulBasis: p.lawfulBasis, activeConsents: p.active, withdrawnConsents: p.withdrawn })),
                ...(analytics && !purposes.some((p) => p.purpose === settings.consentRequiredFor)
                    ? [{ purpose: 'website and product analytics', lawfulBasis: settings.consentRequiredFor ? 'consent' : 'to be stated by the team', activeConsents: 0, withdrawnConsents: 0 }]
                    : []),
                { purpose: 'customer relationship management', lawfulBasis: 'to be stated by the team', activeConsents: 0, withdrawnConsents: 0 },
            ],
            collection: {
                ingestEnabled: writeKeys > 0,
                writeKeys,
                secretKeys: keys.length - writeKeys,
                compatibleApis: writeKeys > 0 ? ['Haven browser snippet (/t.js)', 'Haven events API', 'Segment HTTP tracking API', 'PostHog capture API'] : [],
                consentRequiredFor: settings.consentRequiredFor,
                restrictedDataGuard: { mode: guard.mode, detectors: guard.detectors.length, alwaysRefused: ['payment card numbers'] },
            },
            retention: {
                events: settings.eventRetentionDays ? `deleted ${settings.eventRetentionDays} days after they happen` : 'kept until the person is erased (no retention period set)',
                inactivePeople: settings.inactivePeopleMonths ? `erased after ${settings.inactivePeopleMonths} months without activity` : 'kept until erased (no inactivity period set)',
                exportLinks: `download links expire after ${settings.exportLinkHours} hours`,
            },
            recipients: 'None: Haven is self-hosted by the team; no data is sent to Haven’s makers or other processors.',
            transfers: 'None beyond where the team runs Haven.',
            securityMeasures: [
                'Personal data encrypted at rest with AES-256-GCM under a key per person, wrapped by a team key, wrapped by a master key kept outside the database',
                'Equality search through truncated keyed blind indexes; no personal data in clear in the database, logs or backups',
                'Per-team isolation enforced by PostgreSQL row-level security',
                'Erasure by deleting the person’s key first (reaches backups), then their rows; an erasure ledger replayed on restore',
                'TLS in transit; hash-chained append-only audit log of access, exports, erasures and administrative changes',
                'Restricted-data guard refusing payment card numbers and team-defined sensitive data at collection',
            ],
        };
    });
}
const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
export function recordAsMarkdown(r) {
    const lines = [
        `# Record of processing — ${r.controller}`,
        '',
        `Generated by Haven on ${r.generatedAt} from the data and settings it holds for this team.`,
        '',
        `## Data subjects`,
        '',
        `${r.dataSubjects.description}: **${r.dataSubjects.count}** people.`,
        '',
        `## Categories of personal data`,
        '',
        ...(r.dataCategories.length === 0
            ? ['No personal data is held yet.']
            : ['| Category | Description | Records |', '|---|---|---:|', ...r.dataCategories.map((c) => `| ${cell(c.category)} | ${cell(c.description)} | ${c.records} |`)]),
        '',
        `## Purposes and lawful bases`,
        '',
        '| Purpose | Lawful basis | Active consents | Withdrawn |',
        '|---|---|---:|---:|',
        ...r.purposes.map((p) => `| ${cell(p.purpose)} | ${cell(p.lawfulBasis)} | ${p.activeConsents} | ${p.withdrawnConsents} |`),
        '',
        `## Collection`,
        '',
        `- Event collection: ${r.collection.ingestEnabled ? `enabled (${r.collection.writeKeys} write key(s)) through ${r.collection.compatibleApis.join(', ')}` : 'not enabled (no write key)'}`,
        `- Secret API keys: ${r.collection.secretKeys}`,
        `- Consent required before tracking: ${r.collection.consentRequiredFor ? `yes, for purpose “${r.collection.consentRequiredFor}”` : 'no'}`,
        `- Restricted data refused at collection: ${r.collection.restrictedDataGuard.alwaysRefused.join(', ')} and ${r.collection.restrictedDataGuard.detectors} team-defined detector(s); mode: ${r.collection.restrictedDataGuard.mode}`,
        '',
        `## Retention`,
        '',
        `- Events: ${r.retention.events}`,
        `- People: ${r.retention.inactivePeople}`,
        `- Access exports: ${r.retention.exportLinks}; nothing is stored ahead of download`,
        '',
        `## Recipients and transfers`,
        '',
        `- Recipients: ${r.recipients}`,
        `- Transfers: ${r.transfers}`,
        '',
        `## Security measures`,
        '',
        ...r.securityMeasures.map((m) => `- ${m}`),
        '',
    ];
    return lines.join('\n');
}
//# sourceMappingURL=record-of-processing.js.map