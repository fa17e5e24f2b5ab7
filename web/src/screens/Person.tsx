import { useState } from 'react';
import { people } from '../api/people';
import type { PrivacyRequest } from '../api/types';
import { ErrorNotice, Loading } from '../components/Notices';
import { useLoad } from '../hooks/useLoad';
import { useTitle } from '../hooks/useTitle';
import { Link } from '../router';
import { ActivityOverview } from '../sections/person/ActivityOverview';
import { Consents } from '../sections/person/Consents';
import { ErasePerson } from '../sections/person/ErasePerson';
import { ErasureReceipt } from '../sections/person/ErasureReceipt';
import { ExportPerson } from '../sections/person/ExportPerson';
import { Identities } from '../sections/person/Identities';
import { Notes } from '../sections/person/Notes';
import { PagesViewed } from '../sections/person/PagesViewed';
import { Profile } from '../sections/person/Profile';
import { Properties } from '../sections/person/Properties';
import { Suppression } from '../sections/person/Suppression';
import { Timeline } from '../sections/person/Timeline';
import { PrivacyRequests } from '../sections/privacy/PrivacyRequests';
import { useSignedIn } from '../session';

/** One person: profile, identities, properties and notes beside their activity; their consents and the privacy actions. */
export function Person({ id }: { id: string }) {
  useTitle('Person');
  const { can, canChange } = useSignedIn();
  const person = useLoad(() => people.get(id), [id]);
  const [erasure, setErasure] = useState<PrivacyRequest | null>(null);
  // Bumped after a privacy action, so this person's request list shows it.
  const [requests, setRequests] = useState(0);
  const newRequest = () => setRequests((n) => n + 1);
  const editable = canChange('people.write');

  if (erasure) return <ErasureReceipt erasure={erasure} />;
  if (person.loading && !person.data) return <Loading what="this person" />;
  if (!person.data) {
    return (
      <>
        <p>
          <Link to="/people">← People</Link>
        </p>
        <ErrorNotice error={person.error} />
      </>
    );
  }
  const p = person.data;
  return (
    <>
      <p className="back">
        <Link to="/people">← People</Link>
      </p>
      <div className="person-grid">
        <div className="person-main">
          <Profile person={p} editable={editable} onSaved={person.setData} />
          <Identities person={p} editable={editable} onSaved={person.setData} />
          <Properties person={p} editable={editable} onSaved={person.setData} />
          <Notes personId={p.id} editable={editable} />
        </div>
        <div className="person-activity">
          <ActivityOverview personId={p.id} />
          <PagesViewed personId={p.id} />
          <Timeline personId={p.id} />
        </div>
      </div>
      <h2 className="group-heading">Privacy</h2>
      <div className="person-grid">
        <div className="person-main">
          <Consents personId={p.id} editable={canChange('consents.write')} />
          <Suppression personId={p.id} version={p.updatedAt} mayObject={canChange('privacy.object')} onObjected={newRequest} />
          {canChange('privacy.export') ? <ExportPerson personId={p.id} onExported={newRequest} /> : null}
          {canChange('people.delete') ? <ErasePerson person={p} onErased={setErasure} /> : null}
        </div>
        <div className="person-activity">
          {can('privacy.read') ? <PrivacyRequests personId={p.id} version={requests} heading="Privacy requests about this person" /> : null}
        </div>
      </div>
    </>
  );
}
