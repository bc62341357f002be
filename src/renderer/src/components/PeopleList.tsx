// Suggestions for an input that takes a username: a <datalist> of the directory (the first 500, by username), each
// with its display name, so that typing "John" offers jdoe; with `groups`, also `group:<name>` for each group, for
// inputs that take either. The input names it with list={id}; main still decides.
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Principal, PrincipalKind } from '../../../shared/model';

export function PeopleList({ id, kind, groups = false }: { id: string; kind?: PrincipalKind; groups?: boolean }) {
  const [people, setPeople] = useState<Principal[]>([]);
  const [groupNames, setGroupNames] = useState<string[]>([]);
  useEffect(() => {
    void api['directory.list']({ limit: 500, ...(kind ? { kind } : {}) }).then((r) => r.ok && setPeople(r.value.rows));
  }, [kind]);
  useEffect(() => {
    if (groups) void api['groups.list']({}).then((r) => r.ok && setGroupNames(r.value.map((g) => g.name)));
  }, [groups]);
  return (
    <datalist id={id}>
      {people.map((p) => (
        <option key={p.id} value={p.username}>
          {p.displayName}
        </option>
      ))}
      {groupNames.map((name) => (
        <option key={`group:${name}`} value={`group:${name}`}>
          group {name}
        </option>
      ))}
    </datalist>
  );
}
