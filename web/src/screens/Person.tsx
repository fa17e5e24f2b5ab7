import { people } from '../api/people';
import { ErrorNotice, Loading } from '../components/Notices';
import { useLoad } from '../hooks/useLoad';
import { useTitle } from '../hooks/useTitle';
import { Link } from '../router';
import { ActivityOverview } from '../sections/person/ActivityOverview';
import { DeletePerson } from '../sections/person/DeletePerson';
import { Identities } from '../sections/person/Identities';
import { Notes } from '../sections/person/Notes';
import { PagesViewed } from '../sections/person/PagesViewed';
import { Profile } from '../sections/person/Profile';
import { Properties } from '../sections/person/Properties';
import { Timeline } from '../sections/person/Timeline';
import { useSignedIn } from '../session';

/** One person: profile, identities, properties and notes beside their activity. */
export function Person({ id }: { id: string }) {
  useTitle('Person');
  const { can } = useSignedIn();
  const person = useLoad(() => people.get(id), [id]);
  const editable = can('people.write');

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
          {can('people.delete') ? <DeletePerson person={p} /> : null}
        </div>
        <div className="person-activity">
          <ActivityOverview personId={p.id} />
          <PagesViewed personId={p.id} />
          <Timeline personId={p.id} />
        </div>
      </div>
    </>
  );
}
