import { useState } from 'react';
import { accounts } from '../../api/accounts';
import type { Member, Role } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ErrorNotice, Loading } from '../../components/Notices';
import { formatDate } from '../../format';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { ROLE_HELP, assignableRoles } from '../../roles';
import { useSignedIn } from '../../session';

/** Members and their roles; owners and admins change roles and remove members. */
export function Members() {
  const { session, activeTeam, canChange } = useSignedIn();
  const members = useLoad(() => accounts.members(), []);
  const manage = canChange('members.manage');
  const remove = useAction(async (userId: string) => {
    await accounts.removeMember(userId);
    members.setData((current) => ({ members: (current?.members ?? []).filter((m) => m.userId !== userId) }));
  });

  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <ErrorNotice error={members.error ?? remove.error} />
      {members.loading ? <Loading what="members" /> : null}
      {members.data && members.data.members.length === 0 ? <EmptyState title="No members." /> : null}
      {members.data && members.data.members.length > 0 ? (
        <ul className="rows">
          {members.data.members.map((m) => (
            <li key={m.userId} className="row">
              <span className="row-main">
                <span className="row-title">
                  {m.email}
                  {m.userId === session.user.id ? ' (you)' : ''}
                </span>
                <span className="row-meta">Joined {formatDate(m.joinedAt)}</span>
              </span>
              {manage && m.userId !== session.user.id && assignableRoles(activeTeam?.role, m.role).length > 0 ? (
                <span className="row-actions">
                  <RoleChanger member={m} choices={assignableRoles(activeTeam?.role, m.role)} onChanged={(updated) => members.setData((c) => ({ members: (c?.members ?? []).map((x) => (x.userId === updated.userId ? updated : x)) }))} />
                  <ConfirmButton label="Remove" confirmLabel="Remove member" question={`Remove ${m.email} from the team?`} busy={remove.busy} onConfirm={() => void remove.run(m.userId)} />
                </span>
              ) : (
                <span className="badge">{m.role}</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <details className="role-help">
        <summary>What each role may do</summary>
        <dl className="facts">
          {Object.entries(ROLE_HELP).map(([role, help]) => (
            <div className="fact-group" key={role}>
              <dt>{role}</dt>
              <dd>{help}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

function RoleChanger({ member, choices, onChanged }: { member: Member; choices: Role[]; onChanged(m: Member): void }) {
  const [role, setRole] = useState<Role>(member.role);
  const change = useAction(async () => onChanged(await accounts.changeRole(member.userId, role)));
  const id = `role-${member.userId}`;
  return (
    <span className="role-changer">
      <label htmlFor={id} className="visually-hidden">
        Role of {member.email}
      </label>
      <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        {choices.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {role !== member.role ? (
        <button type="button" onClick={() => void change.run()} disabled={change.busy}>
          Change role
        </button>
      ) : null}
      <ErrorNotice error={change.error} />
    </span>
  );
}
