import { useState } from 'react';
import { useTitle } from '../hooks/useTitle';
import { Link } from '../router';
import { FindSubject } from '../sections/privacy/FindSubject';
import { PrivacyRequests } from '../sections/privacy/PrivacyRequests';
import { RecordOfProcessing } from '../sections/privacy/RecordOfProcessing';
import { RejectedData } from '../sections/settings/RejectedData';

/** Finding a data subject and the team's requests: a new objection shows in the list at once. */
function Requests() {
  const [version, setVersion] = useState(0);
  return (
    <>
      <FindSubject onObjected={() => setVersion((v) => v + 1)} />
      <PrivacyRequests version={version} />
    </>
  );
}

const TABS = [
  { path: 'requests', label: 'Requests', Section: Requests },
  { path: 'rejected-data', label: 'Rejected data', Section: RejectedData },
  { path: 'record', label: 'Record of processing', Section: RecordOfProcessing },
] as const;

/**
 * The privacy centre (owners and admins, `privacy.read`): data-subject requests with their
 * receipts, data refused at collection, and the record of processing.
 */
export function PrivacyCentre({ tab }: { tab: string | undefined }) {
  const current = TABS.find((t) => t.path === tab) ?? TABS[0];
  useTitle(`Privacy centre: ${current.label}`);
  return (
    <>
      <h1>Privacy centre</h1>
      <nav className="tabs" aria-label="Privacy centre">
        {TABS.map((t) => (
          <Link key={t.path} to={`/privacy/${t.path}`} aria-current={t === current ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <current.Section />
    </>
  );
}
